import Testing
@testable import PaceWebSocket

/// Autobahn groups 2, 3, 4 and 5: frames a conforming client never sends fail the connection
/// with 1002 on the first byte that shows the violation.
struct ProtocolViolationTests {
    struct Case: CustomStringConvertible, Sendable {
        var description: String
        var input: [UInt8]
        /// Bytes that must have arrived, one at a time, when the failure comes out.
        var failsAfter: Int
        /// Events that legitimately come out before the failure.
        var before: [WebSocketEvent] = []
    }

    static let text = ClientFrame.text("Hello")

    static let cases: [Case] = [
        Case(description: "ping over 125 bytes", input: ClientFrame.make(0x9, ClientFrame.bytes(count: 126)), failsAfter: 2),
        Case(description: "close over 125 bytes", input: ClientFrame.make(0x8, [0x03, 0xE8] + ClientFrame.ascii(count: 124)), failsAfter: 2),
        Case(description: "pong over 125 bytes", input: ClientFrame.make(0xA, ClientFrame.bytes(count: 65536)), failsAfter: 2),
        Case(description: "fragmented ping", input: ClientFrame.make(0x9, [1], fin: false), failsAfter: 1),
        Case(description: "fragmented close", input: ClientFrame.make(0x8, [], fin: false), failsAfter: 1),
        Case(description: "unmasked text", input: ClientFrame.make(0x1, Array("Hello".utf8), masked: false), failsAfter: 2),
        Case(description: "unmasked ping", input: ClientFrame.make(0x9, [], masked: false), failsAfter: 2),
        Case(description: "continuation without a message", input: ClientFrame.continuation([1, 2]), failsAfter: 1),
        Case(description: "non-final continuation without a message", input: ClientFrame.continuation([1], fin: false), failsAfter: 1),
        Case(
            description: "text inside a fragmented message",
            input: ClientFrame.text("fragment", fin: false) + ClientFrame.text("again"), failsAfter: 14 + 1
        ),
        Case(
            description: "binary inside a fragmented text message",
            input: ClientFrame.text("fragment", fin: false) + ClientFrame.binary([1]), failsAfter: 14 + 1
        ),
        Case(
            description: "continuation after a complete message",
            input: text + ClientFrame.continuation([1]), failsAfter: text.count + 1, before: [.text(Array("Hello".utf8))]
        ),
        Case(description: "16-bit length under 126", input: ClientFrame.make(0x1, Array("Hello".utf8), length: .sixteenBit), failsAfter: 4),
        Case(description: "64-bit length under 65536", input: ClientFrame.make(0x2, ClientFrame.bytes(count: 200), length: .sixtyFourBit), failsAfter: 10),
        Case(description: "64-bit length with its top bit set", input: [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4], failsAfter: 3),
        Case(description: "control frame with a 16-bit length", input: ClientFrame.make(0x9, [1], length: .sixteenBit), failsAfter: 2),
    ]

    @Test(arguments: cases)
    func failsWithProtocolError(_ test: Case) {
        #expect(ReaderHarness.events(test.input) == test.before + [.fail(closeCode: .protocolError)])
        #expect(ReaderHarness.failurePoint(test.input)?.bytesFed == test.failsAfter)
    }

    @Test(arguments: 1...7, [0x1, 0x2, 0x9, 0xA, 0x8, 0x0] as [UInt8])
    func reservedBitsFailOnTheFirstByte(rsv: Int, opcode: UInt8) {
        let frame = ClientFrame.make(opcode, opcode == 0x8 ? [] : [1, 2, 3], rsv: UInt8(rsv))
        #expect(ReaderHarness.events(frame) == [.fail(closeCode: .protocolError)])
        #expect(ReaderHarness.failurePoint(frame)?.bytesFed == 1)
    }

    @Test(arguments: [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcodesFailOnTheFirstByte(opcode: UInt8) {
        for frame in [ClientFrame.make(opcode, []), ClientFrame.make(opcode, [1, 2, 3], fin: false)] {
            #expect(ReaderHarness.events(frame) == [.fail(closeCode: .protocolError)])
            #expect(ReaderHarness.failurePoint(frame)?.bytesFed == 1)
        }
    }

    @Test func reservedOpcodeAfterAValidMessageFailsAfterIt() {
        let input = ClientFrame.text("ok") + ClientFrame.make(0x3, []) + ClientFrame.ping()
        #expect(ReaderHarness.events(input) == [.text(Array("ok".utf8)), .fail(closeCode: .protocolError)])
    }

    @Test func reservedOpcodeInsideAFragmentedMessageFails() {
        let input = ClientFrame.text("frag", fin: false) + ClientFrame.make(0xB, []) + ClientFrame.continuation(Array("ment".utf8))
        #expect(ReaderHarness.events(input) == [.fail(closeCode: .protocolError)])
    }

    @Test func nothingIsReadAfterAFailure() {
        var reader = WebSocketReader()
        let bad = ClientFrame.make(0x3, [])
        let first = bad.withUnsafeBytes { reader.read($0) }
        #expect(first.event == .fail(closeCode: .protocolError))
        #expect(reader.isFinished)
        let later = ClientFrame.text("ignored")
        let second = later.withUnsafeBytes { reader.read($0) }
        #expect(second == WebSocketReadResult(consumed: later.count, event: nil))
    }
}
