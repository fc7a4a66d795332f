import PaceLoop
import PaceStore
import PaceSystem

/// What every service shares: configuration, the store, the blocking pool, the
/// authenticator and the event publisher. Created once by `ChatServer`.
package final class AppContext: Sendable {
    package let configuration: ServerConfiguration
    package let store: any Store
    /// For work that must not run on an event loop (file I/O, slow queries).
    package let pool: BlockingPool
    /// Password hashing only, at the lowest priority: Argon2 saturates a core, and the event
    /// loops must keep answering during a login storm.
    package let hashing: BlockingPool
    /// Every change members should see in real time goes through here (see `commit`).
    package let events: any EventBus
    package let authenticator: Authenticator
    /// Live presence for User objects; the WebSocket hub installs its lookup here.
    package let presence = PresenceLookup()
    /// Rate limits counted across a cluster's instances; the cluster installs its counter.
    package let rateLimits = RateLimitSharing()

    package init(configuration: ServerConfiguration, store: any Store, pool: BlockingPool, hashing: BlockingPool,
                 events: any EventBus, authenticator: Authenticator) {
        self.configuration = configuration
        self.store = store
        self.pool = pool
        self.hashing = hashing
        self.events = events
        self.authenticator = authenticator
    }

    /// Wall-clock milliseconds since the Unix epoch, the unit of every stored timestamp.
    package func now() -> Int64 { Clock.wallMilliseconds() }
}
