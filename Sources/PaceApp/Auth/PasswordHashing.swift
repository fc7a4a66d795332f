import PaceCrypto
import PaceSystem

/// The server's one `PasswordHasher`. Production always uses the OWASP-minimum defaults
/// (Argon2id m=19 MiB, t=2, p=1). `PACE_TEST_FAST_HASHING=1` switches to m=64 KiB, t=1: it
/// exists ONLY so test suites can register many users quickly and must never be set in
/// production (the server logs a warning when it is).
enum PasswordHashing {
    static func hasher(environment: [String: String]) throws(ConfigurationError) -> PasswordHasher {
        do {
            if environment["PACE_TEST_FAST_HASHING"] == "1" {
                Log.warn("PACE_TEST_FAST_HASHING=1: passwords are hashed with test-only, insecure parameters")
                return try PasswordHasher(memoryKiB: 64, iterations: 1)
            }
            return try PasswordHasher()
        } catch {
            throw ConfigurationError("cannot set up password hashing: \(error)")
        }
    }
}
