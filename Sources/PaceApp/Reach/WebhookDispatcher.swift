import PaceHTTP
import PaceServer
import PaceStore
import PaceSystem
import Synchronization

/// Drains the webhook outbox: finds due deliveries, sends them signed with Pace's HTTP client,
/// and records each outcome (delivered, retried with backoff, or given up). It runs on the
/// client's own loop and talks to the store asynchronously, so neither a slow receiver nor the
/// outbox ever touches a chat loop or the hub. Pending rows survive a restart: the first poll
/// after start sends them (at least once; receivers drop repeats by `Pace-Delivery-Id`).
///
/// `@unchecked Sendable`: `inFlight`, `polling` and the timer are touched only on the client's
/// loop thread; the bus subscriber only sets the atomic `poked` flag and hops to the loop.
package final class WebhookDispatcher: @unchecked Sendable {
    private let store: any Store
    private let client: HTTPClient
    private let configuration: ReachConfiguration
    package let statistics = ReachStatistics()
    private var inFlight = Set<Int64>()
    private var polling = false
    private let poked = Atomic<Bool>(false)
    /// How often the outbox is checked when no change pokes it (retries come due by time).
    private let pollMilliseconds: Int64

    package init(store: any Store, client: HTTPClient, configuration: ReachConfiguration, pollMilliseconds: Int64 = 250) {
        self.store = store
        self.client = client
        self.configuration = configuration
        self.pollMilliseconds = pollMilliseconds
    }

    /// Starts polling, and polls at once whenever `events` carries a change that may have
    /// written deliveries.
    package func start(events: any EventBus) {
        events.subscribe { [self] event, _ in
            switch event {
            case .messageCreated, .encryptedMessageCreated, .conversationUpdated: poke()
            default: break
            }
        }
        client.loop.execute { [self] in
            tick()
            client.loop.schedule(after: 60_000) { [self] in prune() }
        }
    }

    private func poke() {
        guard !poked.exchange(true, ordering: .acquiringAndReleasing) else { return }
        client.loop.execute { [self] in
            poked.store(false, ordering: .releasing)
            poll()
        }
    }

    private func tick() {
        poll()
        client.loop.schedule(after: pollMilliseconds) { [self] in tick() }
    }

    /// Finished deliveries stay in the log for `ReachConfiguration.logRetentionMilliseconds`;
    /// older ones are deleted once an hour (the first time a minute after start).
    private func prune() {
        let before = Clock.wallMilliseconds() - configuration.logRetentionMilliseconds
        store.write({ db throws(StoreError) in try WebhookQueries.prune(db, before: before) }) { result in
            if case .failure(let failure) = result, failure != .closed {
                Log.error("webhook log not pruned", ["error": "\(failure)"])
            }
        }
        client.loop.schedule(after: 3_600_000) { [self] in prune() }
    }

    private func poll() {
        guard !polling else { return }
        polling = true
        let now = Clock.wallMilliseconds()
        store.read({ db throws(StoreError) in try WebhookQueries.anyDue(db, now: now) }) { [self] result in
            guard case .success(true) = result else {
                client.loop.execute { [self] in polling = false }
                return
            }
            claim()
        }
    }

    /// Claims due deliveries for one lease (two attempt timeouts and a second: longer than an
    /// attempt and the write of its outcome) and sends them.
    private func claim() {
        let now = Clock.wallMilliseconds()
        let leaseUntil = now + 2 * configuration.timeoutMilliseconds + 1_000
        store.write({ db throws(StoreError) in
            try WebhookQueries.claimDue(db, now: now, leaseUntil: leaseUntil, limit: 64)
        }) { [self] result in
            client.loop.execute { [self] in
                polling = false
                guard case .success(let due) = result else { return }
                for delivery in due where !inFlight.contains(delivery.id) { send(delivery) }
            }
        }
    }

    private func send(_ delivery: DueDelivery) {
        inFlight.insert(delivery.id)
        guard let url = OutboundURL(delivery.url) else {
            return record(delivery, .abandoned, status: nil, error: "invalid URL")
        }
        let body = Array(delivery.payload.utf8)
        let timestamp = Clock.wallMilliseconds() / 1000
        let request = OutboundRequest(method: "POST", url: url, headers: [
            ("Content-Type", "application/json"),
            ("User-Agent", "Pace-Webhook/1"),
            ("Pace-Webhook-Id", String(delivery.webhookID)),
            ("Pace-Delivery-Id", String(delivery.id)),
            ("Pace-Event", delivery.event),
            ("Pace-Timestamp", String(timestamp)),
            ("Pace-Signature", WebhookSignature.sign(secret: delivery.secret, timestamp: timestamp, body: body)),
        ], body: body, timeoutMilliseconds: configuration.timeoutMilliseconds)
        client.send(request) { [self] result in
            switch result {
            case .success(let response) where (200..<300).contains(response.status):
                record(delivery, .delivered, status: Int64(response.status), error: nil)
            case .success(let response):
                record(delivery, .failed, status: Int64(response.status), error: "HTTP \(response.status)")
            case .failure(.forbiddenAddress):
                record(delivery, .abandoned, status: nil, error: "address refused (private or loopback)")
            case .failure(.schemeNotAllowed):
                record(delivery, .abandoned, status: nil, error: "plain http to a non-loopback address (PACE_OUTBOUND_ALLOW_HTTP)")
            case .failure(.tlsHandshake):
                record(delivery, .failed, status: nil, error: "TLS handshake refused (certificate or protocol)")
            case .failure(let error):
                record(delivery, .failed, status: nil, error: "\(error)")
            }
        }
    }

    /// Writes the outcome; called on the client's loop or a resolver thread, so the in-flight
    /// mark is cleared back on the loop once the outcome is durable.
    private func record(_ delivery: DueDelivery, _ outcome: ReachStatistics.Outcome, status: Int64?, error: String?) {
        let now = Clock.wallMilliseconds()
        let configuration = self.configuration
        var outcome = outcome
        var nextAttempt: Int64?
        if outcome == .failed {
            nextAttempt = configuration.retry.nextAttempt(afterAttempts: delivery.attempts + 1,
                                                          createdAt: delivery.createdAt, now: now)
            if nextAttempt == nil { outcome = .abandoned }
        }
        statistics.count(outcome)
        let finalNext = nextAttempt
        let delivered = outcome == .delivered
        store.write({ db throws(StoreError) in
            if delivered {
                try WebhookQueries.recordDelivered(db, delivery, status: status ?? 200, now: now)
            } else {
                try WebhookQueries.recordFailed(db, delivery, status: status, error: error ?? "failed", nextAttempt: finalNext,
                                                disableAfter: configuration.disableAfterFailures, now: now)
            }
        }, completion: { [self] result in
            // A closing store is the shutdown; the delivery stays pending and is sent again later.
            if case .failure(let failure) = result, failure != .closed {
                Log.error("webhook outcome not stored", ["error": "\(failure)"])
            }
            client.loop.execute { [self] in inFlight.remove(delivery.id) }
        })
    }
}
