import Synchronization

/// Counts rate-limited attempts across every instance of a cluster, on top of each instance's
/// own token bucket. `acquire` must answer at once (the limiters are checked on request
/// paths), so an implementation decides from what it already knows and updates the shared
/// count in the background.
package protocol SharedRateCounter: Sendable {
    /// Spends one attempt of `key` under the limiter `name`: nil when allowed, else the
    /// whole seconds until the shared window allows one again.
    func acquire(name: String, key: String, limit: RateLimit) -> Int?
}

/// Where the limiters find the cluster's counter; nothing is shared until one is installed
/// (a single instance, or a cluster before its Redis connection exists).
package final class RateLimitSharing: Sendable {
    private let counter = Mutex<(any SharedRateCounter)?>(nil)

    package init() {}

    package func install(_ shared: any SharedRateCounter) {
        counter.withLock { $0 = shared }
    }

    func acquire(name: String, key: String, limit: RateLimit) -> Int? {
        counter.withLock { $0 }?.acquire(name: name, key: key, limit: limit)
    }
}
