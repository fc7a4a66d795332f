import Testing
@testable import PaceWebSocket

/// RFC 7692 section 6 at the byte level: RSV1 marks a compressed message only when
/// permessage-deflate was agreed, and only on the first frame of a data message; anywhere
/// else it fails with 1002 on the byte that carries it.
struct CompressedFrameTests {
    /// Not valid UTF-8 on purpose: a compressed text payload is checked only once inflated.
    static let deflated: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]

    @Test func rsv1TextIsACompressedMessage() {
        let input = ClientFrame.make(0x1, Self.deflated, rsv: 0b100)
        #expect(ReaderHarness.events(input, allowsCompression: true) == [.compressed(isText: true, payload: Self.deflated)])
    }

    @Test func rsv1BinaryIsACompressedMessage() {
        let payload = ClientFrame.bytes(count: 70_000)
        let input = ClientFrame.make(0x2, payload, rsv: 0b100)
        #expect(ReaderHarness.events(input, allowsCompression: true) == [.compressed(isText: false, payload: payload)])
    }

    @Test func fragmentsOfACompressedMessageJoin() {
        let input = ClientFrame.make(0x1, Array(Self.deflated[..<3]), fin: false, rsv: 0b100)
            + ClientFrame.ping([9])
            + ClientFrame.make(0x0, Array(Self.deflated[3...]))
        #expect(ReaderHarness.events(input, allowsCompression: true) == [
            .ping([9]), .compressed(isText: true, payload: Self.deflated),
        ])
    }

    @Test func uncompressedMessagesStayChecked() {
        let input = ClientFrame.text("plain") + ClientFrame.make(0x1, [0xFF])
        #expect(ReaderHarness.events(input, allowsCompression: true) == [.text(Array("plain".utf8)), .fail(closeCode: .invalidPayload)])
    }

    struct Violation: CustomStringConvertible, Sendable {
        var description: String
        var input: [UInt8]
        var allowsCompression = true
        /// Bytes that must have arrived, one at a time, when the failure comes out.
        var failsAfter: Int
    }

    static let first = ClientFrame.make(0x1, [1, 2], fin: false, rsv: 0b100)

    static let violations: [Violation] = [
        Violation(description: "RSV1 without negotiation", input: ClientFrame.make(0x1, Self.deflated, rsv: 0b100),
                  allowsCompression: false, failsAfter: 1),
        Violation(description: "RSV1 on a continuation", input: first + ClientFrame.make(0x0, [3], rsv: 0b100),
                  failsAfter: first.count + 1),
        Violation(description: "RSV1 on a continuation of an uncompressed message",
                  input: ClientFrame.text("ab", fin: false) + ClientFrame.make(0x0, [3], rsv: 0b100), failsAfter: 9),
        Violation(description: "RSV1 on a ping", input: ClientFrame.make(0x9, [], rsv: 0b100), failsAfter: 1),
        Violation(description: "RSV1 on a pong", input: ClientFrame.make(0xA, [], rsv: 0b100), failsAfter: 1),
        Violation(description: "RSV1 on a close", input: ClientFrame.make(0x8, [0x03, 0xE8], rsv: 0b100), failsAfter: 1),
        Violation(description: "RSV2 with deflate", input: ClientFrame.make(0x1, [1], rsv: 0b010), failsAfter: 1),
        Violation(description: "RSV3 with deflate", input: ClientFrame.make(0x2, [1], rsv: 0b001), failsAfter: 1),
        Violation(description: "RSV1 and RSV2", input: ClientFrame.make(0x1, [1], rsv: 0b110), failsAfter: 1),
    ]

    @Test(arguments: violations)
    func failsWithProtocolError(_ violation: Violation) {
        let failure = ReaderHarness.failurePoint(violation.input, allowsCompression: violation.allowsCompression)
        #expect(failure == TimedEvent(event: .fail(closeCode: .protocolError), bytesFed: violation.failsAfter))
    }

    @Test func inflatedTextIsValidated() {
        #expect(WebSocketEvent.inflated(isText: true, payload: Array("κόσμε".utf8)) == .text(Array("κόσμε".utf8)))
        #expect(WebSocketEvent.inflated(isText: true, payload: [0xCE]) == .fail(closeCode: .invalidPayload))
        #expect(WebSocketEvent.inflated(isText: false, payload: [0xCE]) == .binary([0xCE]))
    }

    @Test(arguments: [0, 125, 126, 65_535, 65_536])
    func compressedFrameSetsRSV1(payloadLength: Int) {
        let payload = ClientFrame.bytes(count: payloadLength)
        let frame = WebSocketFrameWriter.compressedFrame(.binary, payload: payload)
        #expect(frame[0] == 0xC2)
        #expect(Array(frame.dropFirst(WebSocketFrameWriter.headerLength(payloadLength: payloadLength))) == payload)
        // Already compressed: never taken apart to be compressed again.
        #expect(frame.withUnsafeBytes { WebSocketFrameWriter.dataFrameParts($0) } == nil)
    }

    @Test(arguments: [0, 125, 126, 65_535, 65_536])
    func dataFramePartsReadsWriterFrames(payloadLength: Int) throws {
        let payload = ClientFrame.ascii(count: payloadLength)
        let frame = WebSocketFrameWriter.textFrame(payload)
        let parts = try #require(frame.withUnsafeBytes { WebSocketFrameWriter.dataFrameParts($0) })
        #expect(parts.opcode == .text)
        #expect(Array(frame[parts.payload]) == payload)
        // A truncated frame, a control frame or a masked one is not taken apart.
        #expect(frame.dropLast().withUnsafeBytes { WebSocketFrameWriter.dataFrameParts($0) } == nil)
        #expect(ClientFrame.text("x").withUnsafeBytes { WebSocketFrameWriter.dataFrameParts($0) } == nil)
        var ping: [UInt8] = []
        WebSocketFrameWriter.writePing([1], into: &ping)
        #expect(ping.withUnsafeBytes { WebSocketFrameWriter.dataFrameParts($0) } == nil)
    }
}
