import Testing
@testable import PaceApp

/// Who is online elsewhere, from heartbeats.
struct ClusterPresenceTests {
    @Test func usersOfASilentInstanceExpireUnlessOnlineElsewhere() {
        let presence = ClusterPresence(interval: 3000, ttl: 10_000)
        #expect(presence.heard(1, users: [10: .online, 11: .away], now: 0).isEmpty)
        #expect(presence.heard(2, users: [11: .busy], now: 0).isEmpty)
        #expect(presence.presence(of: 10) == .online)
        #expect(presence.expire(now: 9000).isEmpty)
        #expect(presence.heard(2, users: [11: .busy], now: 9000).isEmpty)
        #expect(presence.expire(now: 10_001) == [10], "11 is still on instance 2")
        #expect(presence.presence(of: 10) == nil)
        #expect(presence.presence(of: 11) == .busy)
    }

    @Test func aHeartbeatWithoutAUserReportsThemGone() {
        let presence = ClusterPresence()
        _ = presence.heard(1, users: [10: .online, 11: .online], now: 0)
        _ = presence.heard(2, users: [11: .online], now: 0)
        #expect(presence.heard(1, users: [:], now: 100) == [10])
        #expect(presence.heard(2, users: [:], now: 100) == [11])
    }
}
