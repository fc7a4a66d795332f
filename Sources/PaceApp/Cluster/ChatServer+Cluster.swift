import PaceStore
import PaceSystem

extension ChatServer {
    /// Wires the hub and the authenticator to the other instances: ephemeral frames and
    /// revocations go out and come in, gaps are filled from the store, lost continuity makes
    /// clients resume, and rate limits count across the instances.
    static func join(_ cluster: RedisEventBus, hub: Hub, authenticator: Authenticator, store: any Store,
                     rateLimits: RateLimitSharing) {
        rateLimits.install(RedisRateCounter(client: cluster.publisher))
        hub.relay.install { [cluster] frames, users, droppable in
            cluster.relay(frames, to: users, droppable: droppable)
        }
        hub.relay.install(elsewhere: { [cluster] user in
            cluster.beatSoon()
            return cluster.presence.presence(of: user) != nil
        })
        authenticator.onRevoke { [cluster] family in cluster.relayRevocation(family: family) }
        cluster.install { hooks in
            hooks.frames = { [hub] frames, users, droppable in hub.deliverRelayed(frames, to: users, droppable: droppable) }
            // Revoking again here re-announces it once; the others already hold it and stop.
            hooks.revoke = { [authenticator] family in
                guard !authenticator.isRevoked(family, now: Clock.wallMilliseconds() / 1000) else { return }
                authenticator.revoke(family: family)
            }
            hooks.continuityLost = { [hub] in hub.resyncAll() }
            hooks.localPresence = { [hub] in hub.presence.snapshot() }
            hooks.presenceExpired = { [hub] users in hub.announceExpired(users) }
            hooks.catchUp = { [store, hub, authenticator] after, lookback, done in
                catchUp(store: store, hub: hub, authenticator: authenticator, after: after, lookback: lookback, done)
            }
        }
        store.read({ db throws(StoreError) in try StoreCatchUp.sequence(db) }, completion: { [cluster] result in
            switch result {
            case .success(let sequence): cluster.begin(sequence: sequence)
            case .failure(let error): Log.warn("cluster: no starting sequence; gaps will resync", ["error": "\(error)"])
            }
        })
    }

    /// One store read on a store thread: the missed changes, and the revocations a lost
    /// relay may have carried (re-applied here; revoking twice is harmless). Membership may
    /// have changed unheard too, so the hub reloads it.
    private static func catchUp(store: any Store, hub: Hub, authenticator: Authenticator, after: Int64, lookback: Int64,
                                _ done: @escaping @Sendable ([ChatEvent]?) -> Void) {
        let since = Clock.wallMilliseconds() - lookback
        store.read({ db throws(StoreError) in
            (try StoreCatchUp.events(db, after: after), try StoreCatchUp.revokedFamilies(db, since: since))
        }, completion: { result in
            switch result {
            case .success(let (events, families)):
                let now = Clock.wallMilliseconds() / 1000
                for family in families where !authenticator.isRevoked(family, now: now) { authenticator.revoke(family: family) }
                hub.forgetMembership()
                done(events)
            case .failure(let error):
                Log.warn("cluster: the store could not fill a gap", ["error": "\(error)"])
                done(nil)
            }
        })
    }
}
