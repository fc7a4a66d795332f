import PaceCrypto
import PaceHTTP
import PaceServer
import PaceStore
import PaceSystem
import Synchronization

/// Drains the push outbox. Messages past the coalescing window are expanded into pushes owed
/// (`PushExpansion`, one write transaction that also takes them out of `push_messages`); due
/// pushes are claimed, encrypted, signed and sent with Pace's HTTP client; each outcome is
/// written back (delivered and deleted, retried with backoff, subscription deleted on 404/410).
/// It runs on the client's loop and talks to the store asynchronously: the hub and the chat
/// loops never wait for it. Everything owed is in the database, so a restart loses nothing (at
/// least once: an attempt in flight at a crash is sent again when its lease ends).
///
/// `@unchecked Sendable`: `inFlight`, `polling`, `again`, `backlog` and `vapid` are touched only on the
/// client's loop thread; other threads hop there with `client.loop.execute`.
package final class PushDispatcher: @unchecked Sendable {
    private let store: any Store
    private let client: HTTPClient
    private let configuration: PushConfiguration
    package let statistics = PushStatistics()
    package let publicKey: String
    private var vapid: VAPIDToken
    private let connected = Mutex<@Sendable (Int64) -> Bool>({ _ in false })
    private var inFlight = Set<Int64>()
    private var polling = false
    private var again = false
    /// The last claim was a full batch: more is due than was taken.
    private var backlog = false
    private let pollMilliseconds: Int64
    /// Claimed at once; the HTTP client runs `maxConcurrent` of them and queues the rest.
    private let batch: Int64 = 256

    package init(store: any Store, client: HTTPClient, key: P256PrivateKey, configuration: PushConfiguration,
                 pollMilliseconds: Int64 = 250) {
        self.store = store
        self.client = client
        self.configuration = configuration
        self.pollMilliseconds = pollMilliseconds
        vapid = VAPIDToken(key: key, subject: configuration.subject)
        publicKey = vapid.publicKey
    }

    /// Installs the lookup of open sockets (the hub's, and the cluster's when there is one).
    package func install(isConnected: @escaping @Sendable (Int64) -> Bool) {
        connected.withLock { $0 = isConnected }
    }

    package func start() {
        client.loop.execute { [self] in tick() }
    }

    private func tick() {
        poll()
        client.loop.schedule(after: pollMilliseconds) { [self] in tick() }
    }

    private func poll() {
        guard !polling else {
            again = true
            return
        }
        polling = true
        again = false
        let now = Clock.wallMilliseconds()
        let before = now - configuration.delayMilliseconds
        store.read({ db throws(StoreError) in
            try PushOutboxQueries.anyDue(db, messagesBefore: before, now: now)
        }) { [self] result in
            guard case .success(true) = result else { return client.loop.execute { [self] in settle(more: false) } }
            expandAndClaim(before: before)
        }
    }

    /// One write: expand due messages, then claim due pushes (those just written included).
    private func expandAndClaim(before: Int64) {
        let now = Clock.wallMilliseconds()
        let leaseUntil = now + 2 * configuration.timeoutMilliseconds + 1_000
        let expansion = PushExpansion(configuration: configuration, isConnected: connected.withLock { $0 })
        let batch = self.batch
        store.write({ db throws(StoreError) in
            let owed = try PushOutboxQueries.expandDue(db, before: before, limit: 16) { db, messageID throws(StoreError) in
                try expansion.expand(db, messageID: messageID, now: now)
            }
            return (owed, try PushOutboxQueries.claimDue(db, now: now, leaseUntil: leaseUntil, limit: batch))
        }) { [self] result in
            client.loop.execute { [self] in
                guard case .success(let (owed, due)) = result else {
                    if case .failure(let failure) = result, failure != .closed {
                        Log.error("push outbox not drained", ["error": "\(failure)"])
                    }
                    return settle(more: false)
                }
                statistics.countOwed(owed)
                for push in due where !inFlight.contains(push.id) { send(push) }
                settle(more: due.count == Int(batch) || owed > 0)
            }
        }
    }

    /// Ends a poll. With more due than one batch (or a poll asked for meanwhile) the next poll
    /// comes as soon as the sends in flight run low, not at the next tick.
    private func settle(more: Bool) {
        polling = false
        backlog = more
        if more || again { pollIfRoom() }
    }

    private func pollIfRoom() {
        if inFlight.count <= Int(batch) / 4 { poll() }
    }

    private func send(_ push: DuePush) {
        inFlight.insert(push.id)
        let request = PushRequest.make(push, vapid: &vapid, ttlSeconds: configuration.ttlSeconds,
                                       timeoutMilliseconds: configuration.timeoutMilliseconds,
                                       nowSeconds: Clock.wallMilliseconds() / 1000)
        switch request {
        case .failure(.invalidEndpoint):
            record(push, .abandoned)
        case .failure(.invalidKeys):
            record(push, .rejected)
        case .success(let request):
            client.send(request) { [self] result in record(push, Self.outcome(of: result), response: try? result.get()) }
        }
    }

    static func outcome(of result: Result<ClientResponse, HTTPClientError>) -> PushStatistics.Outcome {
        switch result {
        case .success(let response): outcome(status: response.status)
        case .failure(let failure): outcome(failure: failure)
        }
    }

    /// RFC 8030 §5 and §8: 2xx accepted, 404/410 the subscription is gone, 429 and 5xx worth
    /// another try, anything else (a bad request, VAPID refused, too large, a redirect) final.
    static func outcome(status: Int) -> PushStatistics.Outcome {
        switch status {
        case 200..<300: .sent
        case 404, 410: .gone
        case 429, 500...: .retried
        default: .rejected
        }
    }

    static func outcome(failure: HTTPClientError) -> PushStatistics.Outcome {
        switch failure {
        case .forbiddenAddress, .schemeNotAllowed, .invalidRequest: .abandoned
        case .resolution, .connectFailed, .timedOut, .invalidResponse, .shuttingDown: .retried
        }
    }

    /// Writes the outcome; the in-flight mark is cleared back on the loop once it is durable.
    private func record(_ push: DuePush, _ outcome: PushStatistics.Outcome, response: ClientResponse? = nil) {
        let now = Clock.wallMilliseconds()
        var outcome = outcome
        var nextAttempt: Int64?
        if outcome == .retried {
            let backoff = configuration.retry.delay(afterAttempts: push.attempts + 1)
            let wait = max(backoff, PushRequest.retryAfter(response?.header("retry-after")) ?? 0)
            if now + wait - push.createdAt <= configuration.retry.windowMilliseconds {
                nextAttempt = now + wait
            } else {
                outcome = .abandoned
            }
        }
        statistics.count(outcome)
        let finalOutcome = outcome
        let finalNext = nextAttempt
        store.write({ db throws(StoreError) in
            switch finalOutcome {
            case .gone: try PushSubscriptionQueries.delete(db, id: push.subscriptionID)
            case .retried: try PushOutboxQueries.retry(db, push, nextAttempt: finalNext ?? now)
            case .sent, .rejected, .abandoned: try PushOutboxQueries.finish(db, push, now: now)
            }
        }, completion: { [self] result in
            // A closing store is the shutdown; the push stays owed and is sent after the restart.
            if case .failure(let failure) = result, failure != .closed {
                Log.error("push outcome not stored", ["error": "\(failure)"])
            }
            client.loop.execute { [self] in
                inFlight.remove(push.id)
                if backlog || again { pollIfRoom() }
            }
        })
    }
}
