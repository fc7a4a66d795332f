import Testing
@testable import PaceWebSocket

/// Server frames: exact bytes, and a round trip through the reader once masked.
struct FrameWriterTests {
    static func roundTrip(_ frame: [UInt8]) -> [WebSocketEvent] {
        ReaderHarness.events(ClientFrame.masking(serverFrame: frame))
    }

    @Test func shortTextIsTwoHeaderBytes() {
        var out: [UInt8] = []
        WebSocketFrameWriter.writeText(Array("Hi".utf8), into: &out)
        #expect(out == [0x81, 0x02, 0x48, 0x69])
    }

    @Test(arguments: [
        (0, [0x82, 0x00]), (125, [0x82, 0x7D]), (126, [0x82, 0x7E, 0x00, 0x7E]),
        (65535, [0x82, 0x7E, 0xFF, 0xFF]), (65536, [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]),
    ] as [(Int, [UInt8])])
    func headersUseTheShortestLength(length: Int, header: [UInt8]) {
        var out: [UInt8] = []
        WebSocketFrameWriter.writeBinary(ClientFrame.bytes(count: length), into: &out)
        #expect(Array(out[..<header.count]) == header)
        #expect(out.count == header.count + length)
        #expect(WebSocketFrameWriter.headerLength(payloadLength: length) == header.count)
    }

    @Test(arguments: [0, 125, 126, 65535, 65536])
    func dataFramesRoundTrip(length: Int) {
        var text: [UInt8] = []
        WebSocketFrameWriter.writeText(ClientFrame.ascii(count: length), into: &text)
        #expect(Self.roundTrip(text) == [.text(ClientFrame.ascii(count: length))])
        var binary: [UInt8] = []
        ClientFrame.bytes(count: length).withUnsafeBytes { WebSocketFrameWriter.writeBinary($0, into: &binary) }
        #expect(Self.roundTrip(binary) == [.binary(ClientFrame.bytes(count: length))])
    }

    @Test func controlFramesRoundTrip() {
        var ping: [UInt8] = []
        WebSocketFrameWriter.writePing([1, 2, 3], into: &ping)
        #expect(ping == [0x89, 0x03, 1, 2, 3])
        #expect(Self.roundTrip(ping) == [.ping([1, 2, 3])])
        var pong: [UInt8] = []
        WebSocketFrameWriter.writePong(ClientFrame.bytes(count: 125), into: &pong)
        #expect(Self.roundTrip(pong) == [.pong(ClientFrame.bytes(count: 125))])
    }

    @Test func controlPayloadsAreCutTo125Bytes() {
        var ping: [UInt8] = []
        WebSocketFrameWriter.writePing(ClientFrame.bytes(count: 300), into: &ping)
        #expect(Self.roundTrip(ping) == [.ping(ClientFrame.bytes(count: 125))])
    }

    @Test func closeCarriesItsCodeBigEndian() {
        var close: [UInt8] = []
        WebSocketFrameWriter.writeClose(code: .messageTooBig, reason: Array("big".utf8), into: &close)
        #expect(close == [0x88, 0x05, 0x03, 0xF1, 0x62, 0x69, 0x67])
        #expect(Self.roundTrip(close) == [.close(code: .messageTooBig, reason: Array("big".utf8))])
    }

    @Test func anEmptyCloseEchoesAnEmptyClose() {
        var close: [UInt8] = []
        WebSocketFrameWriter.writeClose(code: nil, reason: Array("ignored".utf8), into: &close)
        #expect(close == [0x88, 0x00])
    }

    @Test func aLongReasonIsCutWithoutSplittingACharacter() {
        var close: [UInt8] = []
        let reason = Array(String(repeating: "é", count: 100).utf8)
        WebSocketFrameWriter.writeClose(code: .goingAway, reason: reason, into: &close)
        #expect(close.count == 2 + 2 + 122)
        #expect(Self.roundTrip(close) == [.close(code: .goingAway, reason: Array(reason[..<122]))])
    }

    @Test(arguments: [0, 200, 70_000])
    func aFanOutFrameIsExactlySized(length: Int) {
        let payload = ClientFrame.ascii(count: length)
        let frame = WebSocketFrameWriter.textFrame(payload)
        #expect(frame.count == WebSocketFrameWriter.headerLength(payloadLength: length) + length)
        #expect(frame.capacity == frame.count || frame.capacity < frame.count + 32)
        var written: [UInt8] = []
        WebSocketFrameWriter.writeText(payload, into: &written)
        #expect(frame == written)
    }

    @Test func framesAppendToWhatIsAlreadyThere() {
        var out: [UInt8] = [0xAA]
        WebSocketFrameWriter.writePong([], into: &out)
        WebSocketFrameWriter.writeText([], into: &out)
        #expect(out == [0xAA, 0x8A, 0x00, 0x81, 0x00])
    }
}
