import PaceStore
import Testing

/// The PostgreSQL store's pure parts: `?N` → `$N`, SQLSTATE → `StoreError`, settings.
@Suite struct PostgresTranslationTests {
    @Test(arguments: [
        ("SELECT 1", "SELECT 1", 0),
        ("SELECT ?1, ?2", "SELECT $1, $2", 2),
        ("WHERE a = ?1 AND b = ?1", "WHERE a = $1 AND b = $1", 1),
        // Bare `?` is one more than the largest number so far, as SQLite numbers it.
        ("VALUES (?, ?, ?)", "VALUES ($1, $2, $3)", 3),
        ("WHERE u > ? AND (u LIKE ?2 OR d LIKE ?2) LIMIT ?", "WHERE u > $1 AND (u LIKE $2 OR d LIKE $2) LIMIT $3", 3),
        ("SELECT ?3, ?", "SELECT $3, $4", 4),
        ("SELECT ?12", "SELECT $12", 12),
        // Literals, quoted identifiers and comments keep their question marks.
        ("SELECT '?1', \"a?\" FROM t WHERE x = ?1", "SELECT '?1', \"a?\" FROM t WHERE x = $1", 1),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2),
        ("SELECT 'unterminated ?", "SELECT 'unterminated ?", 0),
        ("SELECT a - ?1", "SELECT a - $1", 1),
    ])
    func translatesPlaceholders(sql: String, expected: String, count: Int) {
        let translated = PlaceholderTranslation.translate(sql)
        #expect(translated.text == expected)
        #expect(translated.parameterCount == count)
    }

    @Test(arguments: [
        ("23505", StoreError.constraint(kind: .unique, message: "m")),
        ("23503", .constraint(kind: .foreignKey, message: "m")),
        ("23514", .constraint(kind: .check, message: "m")),
        ("23502", .constraint(kind: .notNull, message: "m")),
        ("23P01", .constraint(kind: .other, message: "m")),
        ("57014", .busy(message: "m")),
        ("57P01", .busy(message: "m")),
        ("57P03", .busy(message: "m")),
        ("08006", .busy(message: "m")),
        ("08001", .busy(message: "m")),
        ("40001", .busy(message: "m")),
        ("40P01", .busy(message: "m")),
        ("53300", .busy(message: "m")),
        ("XX001", .corrupt(message: "m")),
        ("58030", .io(message: "m")),
        ("42P01", .misuse(message: "42P01: m")),
        ("XX000", .other(code: 0, message: "XX000: m")),
    ])
    func classifiesSQLStates(state: String, expected: StoreError) {
        #expect(StoreError(sqlState: state, message: "m") == expected)
    }

    @Test func readsTheSettingsFromTheEnvironment() throws {
        #expect(try PostgresConfiguration.from(environment: [:]).get() == nil)
        let configuration = try #require(try PostgresConfiguration.from(environment: [
            "PACE_DATABASE_URL": "postgresql://db/pace", "PACE_PG_STATEMENT_TIMEOUT_MS": "250", "PACE_PG_POOL": "8",
        ]).get())
        #expect(configuration.url == "postgresql://db/pace")
        #expect(configuration.statementTimeoutMilliseconds == 250)
        #expect(configuration.readerCount == 8)
        for bad in [["PACE_DATABASE_URL": "mysql://db"],
                    ["PACE_DATABASE_URL": "postgres://db", "PACE_PG_POOL": "0"],
                    ["PACE_DATABASE_URL": "postgres://db", "PACE_PG_STATEMENT_TIMEOUT_MS": "soon"]] {
            #expect(throws: ConfigurationProblem.self) { try PostgresConfiguration.from(environment: bad).get() }
        }
    }
}
