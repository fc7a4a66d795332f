import PaceStore
import PaceSystem

/// How the hub keeps its order without ever waiting on the store. An item whose audience is
/// known goes out at once (the fan-out path: a cached conversation, no store, no extra hop);
/// otherwise it waits in the backlog, with everything after it, while a reader thread looks the
/// audience up. A failed lookup is retried with backoff: a busy or failing store delays
/// delivery, never skips it. Only if the backlog outgrows `RealtimeConfiguration.hubBacklogLimit`
/// does the hub give up on the stream: every socket is closed with 4000, whose `since` replay
/// reads what the backlog held from the store.
extension Hub {
    /// Fans `work` out now or after what is already waiting. Hub thread.
    func run(_ work: HubWork) {
        let state = pipeline
        if state.backlog.isEmpty, let audience = audience(of: work) {
            return perform(work, audience: audience)
        }
        state.backlog.append(work)
        if state.backlog.count > configuration.hubBacklogLimit { return resync() }
        if !state.looking { drain() }
    }

    /// Sends what can go, in order, until the head needs a lookup, which it starts.
    private func drain() {
        let state = pipeline
        while let head = state.backlog.first {
            guard let audience = audience(of: head) else {
                if let lookup = head.lookup { look(up: lookup) }
                return
            }
            state.backlog.removeFirst()
            perform(head, audience: audience)
        }
        state.looked = nil
    }

    private func audience(of work: HubWork) -> [Int64]? {
        guard let lookup = work.lookup else { return [] }
        if case .members(let conversation) = lookup, let members = membership.cached(conversation) { return members }
        if let looked = pipeline.looked, looked.lookup == lookup { return looked.audience }
        return nil
    }

    private func look(up lookup: AudienceLookup) {
        pipeline.looking = true
        store.read({ db throws(StoreError) in try lookup.read(db) }, completion: { [self] result in
            submit { [self] in found(lookup, result) }
        })
    }

    private func found(_ lookup: AudienceLookup, _ result: Result<[Int64], StoreError>) {
        let state = pipeline
        switch result {
        case .success(let audience):
            state.looking = false
            state.failures = 0
            state.looked = (lookup, audience)
            if case .members(let conversation) = lookup { membership.remember(conversation, members: audience) }
            drain()
        case .failure(let error):
            state.failures += 1
            statistics.lookupsFailed.add(1, ordering: .relaxed)
            if state.failures == 1 { Log.warn("hub lookup failed; fan-out waits", ["error": "\(error)"]) }
            retryLater(after: min(1_000, 20 << min(state.failures, 6)))
        }
    }

    /// Looks the head up again after `milliseconds`, on a loop timer (the hub thread never sleeps).
    private func retryLater(after milliseconds: Int64) {
        let retry: @Sendable () -> Void = { [self] in
            submit { [self] in
                pipeline.looking = false
                drain()
            }
        }
        guard let loop = anyLoop else { return retry() }
        loop.execute { loop.schedule(after: milliseconds, retry) }
    }

    /// Drops the backlog and closes every socket with 4000 (reconnect with `since`). The
    /// membership cache goes too: updates to it may be among what is dropped. A socket opened
    /// after the sweep reached its loop reads its replay after that, so it misses nothing.
    private func resync() {
        let state = pipeline
        state.backlog.removeAll()
        state.looked = nil
        membership.removeAll()
        statistics.resyncs.add(1, ordering: .relaxed)
        Log.warn("hub backlog over its limit; closing sockets for resync", [:])
        closeAllSockets { $0.closeForResync() }
    }
}

/// The pipeline's state. `@unchecked Sendable`: only the hub thread touches it (`Hub.submit`).
final class HubPipelineState: @unchecked Sendable {
    var backlog = HubBacklog()
    /// A lookup is in flight or waiting to be retried; the backlog's head waits for it.
    var looking = false
    /// The latest lookup's answer, for the backlog items that need it; cleared once drained.
    var looked: (lookup: AudienceLookup, audience: [Int64])?
    /// Consecutive failed lookups, for the backoff.
    var failures = 0
}
