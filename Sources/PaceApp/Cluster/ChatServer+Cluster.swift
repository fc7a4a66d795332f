import PaceSystem

extension ChatServer {
    /// Wires the hub and the authenticator to the other instances: ephemeral frames and
    /// revocations go out and come in, and lost continuity makes clients resume.
    static func join(_ cluster: RedisEventBus, hub: Hub, authenticator: Authenticator) {
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
        }
    }
}
