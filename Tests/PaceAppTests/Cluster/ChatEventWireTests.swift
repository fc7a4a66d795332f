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
