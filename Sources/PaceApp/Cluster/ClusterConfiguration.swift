import PaceRedis

/// Several instances sharing PostgreSQL and Redis (`PACE_REDIS_URL`). A cluster needs the
/// same access-token key everywhere (a token minted by one instance must verify on the
/// others) and a database they can all reach, so start refuses one without them.
package struct ClusterConfiguration: Sendable {
    package var redis: RedisURL?
    /// The pub/sub channel (`PACE_REDIS_CHANNEL`), so clusters can share one Redis.
    package var channel = "pace:events"
    package var options = ClusterOptions()

    package init(environment: [String: String]) throws(ConfigurationError) {
        guard let text = environment["PACE_REDIS_URL"], !text.isEmpty else { return }
        guard let url = RedisURL(parsing: text) else {
            throw ConfigurationError("PACE_REDIS_URL must look like redis://host:port[/db], got '\(text)'")
        }
        guard environment["PACE_JWT_SECRET"].map({ !$0.isEmpty }) == true else {
            throw ConfigurationError("PACE_REDIS_URL (a cluster) needs PACE_JWT_SECRET, the same on every instance")
        }
        guard environment["PACE_DATABASE_URL"].map({ !$0.isEmpty }) == true else {
            throw ConfigurationError("PACE_REDIS_URL (a cluster) needs PACE_DATABASE_URL: instances cannot share a SQLite file")
        }
        if let channel = environment["PACE_REDIS_CHANNEL"], !channel.isEmpty { self.channel = channel }
        if let text = environment["PACE_CLUSTER_GAP_FILL"] {
            options.gapFill = try ServerConfiguration.parseSwitch(text, "PACE_CLUSTER_GAP_FILL")
        }
        if let text = environment["PACE_CLUSTER_TEST_DROP"] {
            guard let every = Int(text), every >= 0 else {
                throw ConfigurationError("PACE_CLUSTER_TEST_DROP must be a whole number (0 = off), got '\(text)'")
            }
            options.dropEvery = every
        }
        redis = url
    }
}

/// How the bus repairs its stream.
package struct ClusterOptions: Sendable {
    /// Fill gaps from the store (`PACE_CLUSTER_GAP_FILL=off` makes every gap a resync, to
    /// show what the fill saves).
    package var gapFill = true
    /// Tests only (`PACE_CLUSTER_TEST_DROP=N`): ignore every Nth event message heard from
    /// another instance, as if Redis had lost it.
    package var dropEvery = 0

    package init(gapFill: Bool = true, dropEvery: Int = 0) {
        self.gapFill = gapFill
        self.dropEvery = dropEvery
    }
}
