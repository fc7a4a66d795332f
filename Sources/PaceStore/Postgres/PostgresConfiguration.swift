/// How Pace reaches PostgreSQL: the URL (`PACE_DATABASE_URL=postgres://…` or `postgresql://…`,
/// anything libpq accepts), the statement timeout (`PACE_PG_STATEMENT_TIMEOUT_MS`, default 5000)
/// and the reader pool size (`PACE_PG_POOL`, default 4). Each store holds one writer connection,
/// `readerCount` reader connections and one for `readNow`.
package struct PostgresConfiguration: Sendable, Equatable {
    package var url: String
    package var statementTimeoutMilliseconds = 5000
    package var readerCount = 4
    /// Seconds a connection attempt may take before it counts as "PostgreSQL unavailable".
    package var connectTimeoutSeconds = 5
    /// The name the connections show in `pg_stat_activity`.
    package var applicationName = "pace"

    package init(url: String) {
        self.url = url
    }

    /// Whether `url` names a PostgreSQL database (rather than SQLite's data directory).
    package static func isPostgresURL(_ url: String) -> Bool {
        url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
    }

    /// The settings from `PACE_DATABASE_URL`, `PACE_PG_STATEMENT_TIMEOUT_MS` and `PACE_PG_POOL`;
    /// nil when no PostgreSQL URL is set. Returns the problem text for a bad number.
    package static func from(environment: [String: String]) -> Result<PostgresConfiguration?, ConfigurationProblem> {
        guard let url = environment["PACE_DATABASE_URL"], !url.isEmpty else { return .success(nil) }
        guard isPostgresURL(url) else {
            return .failure(ConfigurationProblem(text: "PACE_DATABASE_URL must start with postgres:// or postgresql://"))
        }
        var configuration = PostgresConfiguration(url: url)
        if let text = environment["PACE_PG_STATEMENT_TIMEOUT_MS"] {
            guard let value = Int(text), (1...3_600_000).contains(value) else {
                return .failure(ConfigurationProblem(text: "PACE_PG_STATEMENT_TIMEOUT_MS must be 1 to 3600000, got '\(text)'"))
            }
            configuration.statementTimeoutMilliseconds = value
        }
        if let text = environment["PACE_PG_POOL"] {
            guard let value = Int(text), (1...64).contains(value) else {
                return .failure(ConfigurationProblem(text: "PACE_PG_POOL must be 1 to 64, got '\(text)'"))
            }
            configuration.readerCount = value
        }
        return .success(configuration)
    }
}

/// A setting that cannot be used, with the text to show the operator.
package struct ConfigurationProblem: Error, Sendable, Equatable {
    package var text: String
}
