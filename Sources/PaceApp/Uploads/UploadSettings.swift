/// Upload limits and the sweep's timing, from `PACE_*` variables over the defaults.
package struct UploadSettings: Sendable {
    /// `PACE_MAX_UPLOAD_BYTES`: the upload route's body limit (413 beyond it).
    package var maxBytes = 25 << 20
    /// `PACE_UPLOAD_SWEEP_INTERVAL_MS`: time between sweeps; the first runs after at most a minute.
    package var sweepIntervalMilliseconds: Int64 = 3_600_000
    /// `PACE_UPLOAD_UNATTACHED_AGE_MS`: an upload never attached is deleted once this old.
    package var unattachedAgeMilliseconds: Int64 = 86_400_000
    /// A temporary file this old belongs to no live upload (the body timeout is far shorter).
    package var temporaryAgeMilliseconds: Int64 = 3_600_000

    package init() {}

    package init(environment: [String: String]) throws(ConfigurationError) {
        if let text = environment["PACE_MAX_UPLOAD_BYTES"] {
            guard let value = Int(text), value > 0 else {
                throw ConfigurationError("PACE_MAX_UPLOAD_BYTES must be a positive number of bytes, got '\(text)'")
            }
            maxBytes = value
        }
        sweepIntervalMilliseconds = try Self.milliseconds(environment, "PACE_UPLOAD_SWEEP_INTERVAL_MS",
                                                         default: sweepIntervalMilliseconds, minimum: 1)
        unattachedAgeMilliseconds = try Self.milliseconds(environment, "PACE_UPLOAD_UNATTACHED_AGE_MS",
                                                         default: unattachedAgeMilliseconds, minimum: 0)
    }

    /// The first sweep runs soon after start, so a server restarted often still sweeps.
    package var firstSweepDelayMilliseconds: Int64 { min(60_000, sweepIntervalMilliseconds) }

    private static func milliseconds(_ environment: [String: String], _ name: String, default value: Int64,
                                     minimum: Int64) throws(ConfigurationError) -> Int64 {
        guard let text = environment[name] else { return value }
        guard let parsed = Int64(text), parsed >= minimum else {
            throw ConfigurationError("\(name) must be a number of milliseconds of at least \(minimum), got '\(text)'")
        }
        return parsed
    }
}
