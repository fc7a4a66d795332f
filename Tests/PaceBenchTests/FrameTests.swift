import PaceWebSocket
import Testing
@testable import PaceBench

@Suite struct ServerFrameHeaderTests {
    private func parse(_ bytes: [UInt8], max: Int = 1 << 20, deflate: Bool = false) -> ServerFrameHeader.ParseResult {
        bytes.withUnsafeBytes { ServerFrameHeader.parse($0, maxPayload: max, deflate: deflate) }
    }

    @Test func rsv1MarksACompressedMessageOnlyOnceDeflateWasAgreed() {
        #expect(parse([0xC1, 5], deflate: true)
                == .header(.init(fin: true, compressed: true, opcode: .text, payloadLength: 5, headerLength: 2)))
        #expect(parse([0x41, 5], deflate: true)
                == .header(.init(fin: false, compressed: true, opcode: .text, payloadLength: 5, headerLength: 2)))
        #expect(parse([0xC1, 5]) == .invalid("reserved bits set"))
        #expect(parse([0xC0, 5], deflate: true) == .invalid("RSV1 outside a message's first frame"))
        #expect(parse([0xC9, 0], deflate: true) == .invalid("RSV1 outside a message's first frame"))
        #expect(parse([0xA1, 0], deflate: true) == .invalid("reserved bits set"), "RSV2 stays reserved")
    }

    @Test func readsSevenSixteenAndSixtyFourBitLengths() {
        #expect(parse([0x81, 5]) == .header(.init(fin: true, opcode: .text, payloadLength: 5, headerLength: 2)))
        #expect(parse([0x81, 126, 0x01, 0x00]) == .header(.init(fin: true, opcode: .text, payloadLength: 256, headerLength: 4)))
        #expect(parse([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]) == .header(.init(fin: true, opcode: .binary, payloadLength: 65_536, headerLength: 10)))
        #expect(parse([0x01, 3]) == .header(.init(fin: false, opcode: .text, payloadLength: 3, headerLength: 2)))
        #expect(parse([0x80, 3]) == .header(.init(fin: true, opcode: .continuation, payloadLength: 3, headerLength: 2)))
    }

    @Test func asksForMoreWhileTheHeaderIsIncomplete() {
        #expect(parse([]) == .needMore)
        #expect(parse([0x81]) == .needMore)
        #expect(parse([0x81, 126, 0x01]) == .needMore)
        #expect(parse([0x81, 127, 0, 0, 0, 0, 0, 1, 0]) == .needMore)
    }

    @Test func refusesWhatAClientMustFailOn() {
        #expect(parse([0x81 | 0x40, 0]) == .invalid("reserved bits set"))
        #expect(parse([0x83, 0]) == .invalid("reserved opcode"))
        #expect(parse([0x81, 0x85, 1, 2, 3, 4]) == .invalid("masked server frame"))
        #expect(parse([0x89, 126, 0, 126]) == .invalid("bad control frame"))
        #expect(parse([0x09, 0]) == .invalid("bad control frame"))
        #expect(parse([0x81, 126, 0x10, 0x00], max: 1000) == .invalid("frame of 4096 bytes"))
    }
}

@Suite struct ClientFrameEncoderTests {
    /// Decodes with the server's own reader, which insists on masking.
    private func serverRead(_ frame: [UInt8]) -> WebSocketEvent? {
        var reader = WebSocketReader(maxMessageBytes: 1 << 20)
        return frame.withUnsafeBytes { reader.read($0) }.event
    }

    @Test(arguments: [0, 1, 125, 126, 65_535, 65_536, 70_001])
    func theServerReaderDecodesEveryLengthEncoding(length: Int) {
        let payload = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        var frame: [UInt8] = []
        ClientFrameEncoder.append(.text, payload: payload, maskKey: 0xDEAD_BEEF, to: &frame)
        #expect(frame[1] & 0x80 != 0)
        #expect(serverRead(frame) == .text(payload))
    }

    @Test func encodesControlFramesAndAppendsAfterExistingBytes() {
        var out: [UInt8] = [0xAA]
        ClientFrameEncoder.append(.pong, payload: [1, 2, 3], maskKey: 0x0102_0304, to: &out)
        #expect(out == [0xAA, 0x8A, 0x83, 1, 2, 3, 4, 0, 0, 0])
        #expect(serverRead(Array(out.dropFirst())) == .pong([1, 2, 3]))
    }

    @Test func maskKeysVary() {
        var generator = MaskKeyGenerator(seed: 0)
        let keys = (0..<100).map { _ in generator.next() }
        #expect(Set(keys).count == 100)
    }
}
