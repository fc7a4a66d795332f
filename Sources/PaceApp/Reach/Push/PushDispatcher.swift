import PaceCrypto
import PaceHTTP
import PaceLoop
import PaceServer
import PaceStore
import PaceSystem
import Synchronization

/// Drains the push outbox. Messages past the coalescing window are expanded into pushes owed
/// (`PushExpansion`, in write transactions of at most 200 members, the last of which
/// takes the message out of `push_messages`); due
/// pushes are claimed, encrypted, signed and sent with Pace's HTTP client; each outcome is
/// written back (delivered and deleted, retried with backoff, subscription deleted on 404/410).
/// It runs on the client's loop and talks to the store asynchronously: the hub and the chat
/// loops never wait for it. Encrypting and signing run on a thread of their own at the lowest
/// CPU priority (like password hashing), so a burst of thousands of pushes yields the cores to
/// the chat loops. Everything owed is in the database, so a restart loses nothing (at
/// least once: an attempt in flight at a crash is sent again when its lease ends).
///
/// `@unchecked Sendable`: `inFlight`, `outcomes`, `polling`, `again` and `backlog` are touched
/// only on the client's loop thread (other threads hop there with `client.loop.execute`);
/// `vapid` only on the encryptor's single thread.
package final class PushDispatcher: @unchecked Sendable {
    private let store: any Store
    private let client: HTTPClient
    private let configuration: PushConfiguration
    package let statistics = PushStatistics()
    package let publicKey: String
    private var vapid: VAPIDToken
    private let encryptor: BlockingPool
    private let connected = Mutex<@Sendable (Int64) -> Bool>({ _ in false })
    private var inFlight = Set<Int64>()
    private var polling = false
    private var again = false
    /// The last claim was a full batch: more is due than was taken.
    private var backlog = false
    private let pollMilliseconds: Int64
    /// Claimed at once; the HTTP client runs `maxConcurrent` of them and queues the rest.
    private let batch: Int64 = 256
    /// Outcomes not written yet, and how long the first of them waits for company.
    private var outcomes: [PushOutcome] = []
    private let flushMilliseconds: Int64 = 20

    package init(store: any Store, client: HTTPClient, key: P256PrivateKey, configuration: PushConfiguration,
                 pollMilliseconds: Int64 = 250) throws(SystemError) {
        encryptor = try BlockingPool(threads: 1, name: "pace-push", niceness: 19)
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

    /// Stops the encryptor; pushes in flight stay owed and are sent after the next start.
    package func shutdown() {
        encryptor.shutdown()
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

    /// One write: a step of expansion, then claim due pushes (those just written included).
    private func expandAndClaim(before: Int64) {
        let now = Clock.wallMilliseconds()
        let leaseUntil = now + 2 * configuration.timeoutMilliseconds + 1_000
        let expansion = PushExpansion(configuration: configuration, isConnected: connected.withLock { $0 })
        let batch = self.batch
        store.write({ db throws(StoreError) in
            let expanded = try PushOutboxQueries.expandDue(db, before: before, budget: PushExpansion.stepLimit) {
                db, messageID, after, limit throws(StoreError) in
                try expansion.expand(db, messageID: messageID, after: after, limit: limit, now: now)
            }
            return (expanded, try PushOutboxQueries.claimDue(db, now: now, leaseUntil: leaseUntil, limit: batch))
        }) { [self] result in
            client.loop.execute { [self] in
                guard case .success(let (expanded, due)) = result else {
                    if case .failure(let failure) = result, failure != .closed {
                        Log.error("push outbox not drained", ["error": "\(failure)"])
                    }
                    return settle(more: false)
                }
                statistics.countOwed(expanded.owed)
                for push in due where !inFlight.contains(push.id) { send(push) }
                settle(more: due.count == Int(batch) || expanded.more)
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
        let submitted = encryptor.submit { [self] in
            let request = PushRequest.make(push, vapid: &vapid, ttlSeconds: configuration.ttlSeconds,
                                           timeoutMilliseconds: configuration.timeoutMilliseconds,
                                           nowSeconds: Clock.wallMilliseconds() / 1000)
            switch request {
            case .failure(let refusal):
                client.loop.execute { [self] in record(push, refusal == .invalidEndpoint ? .abandoned : .rejected) }
            case .success(let request):
                client.send(request) { [self] result in record(push, Self.outcome(of: result), response: try? result.get()) }
            }
        }
        // Shutting down: the push stays owed, and is sent when its lease ends after a restart.
        if !submitted { inFlight.remove(push.id) }
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
        case .resolution, .connectFailed, .tlsHandshake, .timedOut, .invalidResponse, .shuttingDown: .retried
        }
    }

    /// Counts the outcome and queues its write; outcomes are written in batches (one
    /// transaction per `flushMilliseconds` or `batch` outcomes), so a burst of pushes costs the
    /// writer a few transactions, not one per push.
    private func record(_ push: DuePush, _ outcome: PushStatistics.Outcome, response: ClientResponse? = nil) {
        let now = Clock.wallMilliseconds()
        var outcome = outcome
        var nextAttempt = now
        if outcome == .retried {
            let backoff = configuration.retry.delay(afterAttempts: push.attempts + 1)
            let wait = max(backoff, PushRequest.retryAfter(response?.header("retry-after"), now: now) ?? 0)
            if now + wait - push.createdAt <= configuration.retry.windowMilliseconds {
                nextAttempt = now + wait
            } else {
                outcome = .abandoned
            }
        }
        statistics.count(outcome)
        outcomes.append(PushOutcome(push: push, outcome: outcome, nextAttempt: nextAttempt, at: now))
        if outcomes.count >= Int(batch) {
            flush()
        } else if outcomes.count == 1 {
            client.loop.schedule(after: flushMilliseconds) { [self] in flush() }
        }
    }

    private func flush() {
        guard !outcomes.isEmpty else { return }
        let written = outcomes
        outcomes = []
        store.write({ db throws(StoreError) in
            for entry in written {
                switch entry.outcome {
                case .gone: try PushSubscriptionQueries.delete(db, id: entry.push.subscriptionID)
                case .retried: try PushOutboxQueries.retry(db, entry.push, nextAttempt: entry.nextAttempt)
                case .sent, .rejected, .abandoned: try PushOutboxQueries.finish(db, entry.push, now: entry.at)
                }
            }
        }, completion: { [self] result in
            // A closing store is the shutdown; the pushes stay owed and are sent after the restart.
            if case .failure(let failure) = result, failure != .closed {
                Log.error("push outcomes not stored", ["error": "\(failure)", "count": "\(written.count)"])
            }
            client.loop.execute { [self] in
                for entry in written { inFlight.remove(entry.push.id) }
                if backlog || again { pollIfRoom() }
            }
        })
    }
}

/// One attempt's outcome waiting to be written.
private struct PushOutcome: Sendable {
    var push: DuePush
    var outcome: PushStatistics.Outcome
    var nextAttempt: Int64
    var at: Int64
}
