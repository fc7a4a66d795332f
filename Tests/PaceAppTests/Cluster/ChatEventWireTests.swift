import Testing
@testable import PaceApp

/// Events cross instances as bytes: every case must come back as it left, and any cut or
/// corrupted message must decode to nil, never trap.
struct ChatEventWireTests {
    static let events: [ChatEvent] = [
        .messageCreated(conversationID: 1, messageID: 2, seq: 3, senderID: 4, message: Array(#"{"id":"2"}"#.utf8)),
        .encryptedMessageCreated(conversationID: 5, messageID: 6, seq: 7, senderID: 8, message: [1, 2],
                                 ciphertexts: [DeviceMessage(userID: 9, deviceID: 10, message: [3]),
                                               DeviceMessage(userID: 11, deviceID: 12, message: [])]),
        .messageUpdated(conversationID: 1, version: 40, message: [0x7B, 0x7D]),
        .messageDeleted(conversationID: 1, version: 41, message: []),
        .reaction(conversationID: 1, messageID: 2, emoji: "👍", userID: 3, added: true, version: 42, message: [9]),
        .reaction(conversationID: 1, messageID: 2, emoji: "x", userID: 3, added: false, version: 43, message: []),
        .read(conversationID: 1, userID: 2, messageID: 3, seq: 4),
        .conversationUpdated(conversationID: 1, memberIDs: [1, 2, 3], removedIDs: [4], conversation: [5]),
        .keysChanged(userID: -1, change: [6]),
        .keysLow([LowPrekeys(userID: 1, deviceID: 2, remaining: 3)]),
    ]

    private func bytes(_ event: ChatEvent) -> [UInt8] {
        var writer = WireWriter()
        ChatEventWire.encode(event, into: &writer)
        return writer.bytes
    }

    @Test(arguments: events)
    func roundTrips(_ event: ChatEvent) throws {
        let encoded = bytes(event)
        var reader = WireReader(encoded)
        let decoded = try #require(ChatEventWire.decode(&reader))
        #expect(reader.isAtEnd)
        #expect(bytes(decoded) == encoded)
    }

    @Test(arguments: events)
    func truncatedMessagesDecodeToNil(_ event: ChatEvent) {
        let encoded = bytes(event)
        for cut in 0..<encoded.count {
            var reader = WireReader(Array(encoded[0..<cut]))
            #expect(ChatEventWire.decode(&reader) == nil, "cut at \(cut)")
        }
    }

    @Test func hugeDeclaredLengthsAreRejected() {
        var writer = WireWriter()
        writer.byte(7)
        writer.int(1)
        writer.int(Int64.max)
        var reader = WireReader(writer.bytes)
        #expect(ChatEventWire.decode(&reader) == nil)
        var unknown = WireReader([200])
        #expect(ChatEventWire.decode(&unknown) == nil)
    }
}

struct ReorderWindowTests {
    private func message(_ seq: Int64) -> ChatEvent {
        .messageCreated(conversationID: 1, messageID: seq, seq: seq, senderID: 1, message: [])
    }

    private func keys(_ entries: [ReorderWindow.Entry]) -> [Int64] {
        entries.map { ReorderWindow.key(of: $0.event) ?? -1 }
    }

    @Test func holdsEventsForTheWindow() {
        let window = ReorderWindow(hold: 20)
        window.add(message(5), origin: nil, now: 0)
        #expect(window.due(now: 19).isEmpty)
        #expect(keys(window.due(now: 20)) == [5])
        #expect(window.isEmpty)
    }

    @Test func releasesALaterCommitAfterAnEarlierOneThatArrivedSecond() {
        let window = ReorderWindow(hold: 20)
        window.add(message(6), origin: 9, now: 0)
        window.add(message(5), origin: nil, now: 10)
        window.add(message(8), origin: nil, now: 15)
        let first = window.due(now: 20)
        #expect(keys(first) == [5, 6])
        #expect(first[1].origin == 9)
        #expect(keys(window.due(now: 35)) == [8])
        #expect(window.late == 0)
    }

    @Test func eventsWithoutKeyStayBehindWhatCameBefore() {
        let window = ReorderWindow(hold: 10)
        window.add(message(3), origin: nil, now: 0)
        window.add(.read(conversationID: 1, userID: 2, messageID: 3, seq: 3), origin: nil, now: 0)
        window.add(message(2), origin: nil, now: 1)
        let released = window.due(now: 10)
        #expect(released.count == 3)
        #expect(ReorderWindow.key(of: released[0].event) == 2)
        #expect(ReorderWindow.key(of: released[1].event) == 3)
        if case .read = released[2].event {} else { Issue.record("the read receipt overtook the message") }
    }

    @Test func ownEventsWaitForTheirEcho() {
        let window = ReorderWindow(hold: 5)
        window.add(message(4), origin: 1, now: 0, echo: 17)
        window.add(message(3), origin: nil, now: 0)
        window.add(message(5), origin: nil, now: 0)
        #expect(keys(window.due(now: 50)) == [3], "nothing overtakes the event waiting for its echo")
        window.echoed(17)
        #expect(keys(window.due(now: 50)) == [4, 5])
    }

    @Test func countsEventsTooLateToOrder() {
        let window = ReorderWindow(hold: 5)
        window.add(message(10), origin: nil, now: 0)
        _ = window.due(now: 5)
        window.add(message(9), origin: nil, now: 6)
        #expect(window.late == 1)
        #expect(keys(window.due(now: 11)) == [9])
    }
}

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
