import Testing
@testable import PaceWebSocket

/// Autobahn groups 1 and 2: data frames with every length encoding, ping and pong.
struct FramingTests {
    static let lengths = [0, 1, 125, 126, 127, 65535, 65536]

    @Test(arguments: lengths)
    func textOfEveryLengthEncoding(length: Int) {
        let payload = ClientFrame.ascii(count: length)
        #expect(ReaderHarness.events(ClientFrame.text(payload)) == [.text(payload)])
    }

    @Test(arguments: lengths)
    func binaryOfEveryLengthEncoding(length: Int) {
        let payload = ClientFrame.bytes(count: length)
        #expect(ReaderHarness.events(ClientFrame.binary(payload)) == [.binary(payload)])
    }

    @Test(arguments: [0, 1, 125])
    func pingAndPongCarryTheirPayload(length: Int) {
        let payload = ClientFrame.bytes(count: length)
        #expect(ReaderHarness.events(ClientFrame.ping(payload)) == [.ping(payload)])
        #expect(ReaderHarness.events(ClientFrame.pong(payload)) == [.pong(payload)])
    }

    @Test func severalFramesInOneReadComeOutInOrder() {
        let input = ClientFrame.text("one") + ClientFrame.ping([1, 2]) + ClientFrame.binary([9])
            + ClientFrame.pong() + ClientFrame.text("two")
        #expect(ReaderHarness.events(input) == [
            .text(Array("one".utf8)), .ping([1, 2]), .binary([9]), .pong([]), .text(Array("two".utf8)),
        ])
    }

    @Test func anyMaskingKeyIsUndone() {
        let payload = ClientFrame.bytes(count: 300)
        for key: [UInt8] in [[0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [1, 2, 3, 4], [0x80, 0, 0x7F, 0xAA]] {
            let frame = ClientFrame.make(0x2, payload, key: key)
            #expect(ReaderHarness.events(frame) == [.binary(payload)])
        }
    }

    @Test func partialInputConsumesNothingUntilAHeaderIsWhole() {
        var reader = WebSocketReader()
        let frame = ClientFrame.text("hello")
        for end in 0..<6 {
            let result = Array(frame[..<end]).withUnsafeBytes { reader.read($0) }
            #expect(result == WebSocketReadResult(consumed: 0, event: nil))
        }
    }

    @Test func aWholeFrameIsConsumedExactly() {
        var reader = WebSocketReader()
        let input = ClientFrame.text("hello") + [0x81]
        let result = input.withUnsafeBytes { reader.read($0) }
        #expect(result == WebSocketReadResult(consumed: input.count - 1, event: .text(Array("hello".utf8))))
    }

    @Test func aPartialDataFramePayloadIsConsumedAsItArrives() {
        var reader = WebSocketReader()
        let frame = ClientFrame.binary(ClientFrame.bytes(count: 1000))
        let first = Array(frame[..<500]).withUnsafeBytes { reader.read($0) }
        #expect(first == WebSocketReadResult(consumed: 500, event: nil))
        let rest = Array(frame[500...]).withUnsafeBytes { reader.read($0) }
        #expect(rest == WebSocketReadResult(consumed: frame.count - 500, event: .binary(ClientFrame.bytes(count: 1000))))
    }

    @Test func emptyInputWithoutStorageIsHarmless() {
        var reader = WebSocketReader()
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(reader.read(empty) == WebSocketReadResult(consumed: 0, event: nil))
        let frame = ClientFrame.binary([1, 2, 3])
        let header = Array(frame[..<6]).withUnsafeBytes { reader.read($0) }
        #expect(header == WebSocketReadResult(consumed: 6, event: nil))
        #expect(reader.read(empty) == WebSocketReadResult(consumed: 0, event: nil))
        let payload = Array(frame[6...]).withUnsafeBytes { reader.read($0) }
        #expect(payload == WebSocketReadResult(consumed: 3, event: .binary([1, 2, 3])))
    }
}
