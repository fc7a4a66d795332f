/// Where Redis is: `redis://host:port[/db]` (`PACE_REDIS_URL`). Only what Pace needs: no
/// password, no TLS (the cluster keeps Redis on a private network, like PostgreSQL).
package struct RedisURL: Sendable, Equatable {
    package var host: String
    package var port: UInt16
    package var database: Int

    package init(host: String, port: UInt16 = 6379, database: Int = 0) {
        self.host = host
        self.port = port
        self.database = database
    }

    /// Parses the URL; nil when it is not of the form above.
    package init?(parsing text: String) {
        let scheme = "redis://"
        guard text.hasPrefix(scheme) else { return nil }
        var rest = Substring(text.dropFirst(scheme.count))
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0, number < 1 << 16 else { return nil }
                database = number
            }
        }
        var port: UInt16 = 6379
        if let colon = rest.lastIndex(of: ":") {
            guard let number = UInt16(rest[rest.index(after: colon)...]), number > 0 else { return nil }
            port = number
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, !rest.contains("@") else { return nil }
        self.init(host: String(rest), port: port, database: database)
    }
}
