import Testing
@testable import PaceWebSocket

/// The word-at-a-time masking against the byte loop of section 5.3.
struct MaskTests {
    static let key: [UInt8] = [0xA1, 0x02, 0x7F, 0xFE]
    static var mask: WebSocketMask { WebSocketMask(key[0], key[1], key[2], key[3]) }

    @Test(arguments: 0..<8)
    func copyMatchesTheByteLoopAtEveryOffsetAndLength(offset: Int) {
        for length in 0...40 {
            let payload = ClientFrame.bytes(count: length)
            let unmasked = payload.withUnsafeBytes { Self.mask.unmasked($0, payloadOffset: offset) }
            #expect(unmasked == ClientFrame.mask(payload, key: Self.key, offset: offset), "length \(length)")
        }
    }

    @Test(arguments: 0..<8)
    func inPlaceMatchesTheByteLoop(offset: Int) {
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 200] {
            var payload = ClientFrame.bytes(count: length)
            payload.withUnsafeMutableBytes { Self.mask.apply(to: $0, payloadOffset: offset) }
            #expect(payload == ClientFrame.mask(ClientFrame.bytes(count: length), key: Self.key, offset: offset))
        }
    }

    @Test func maskingTwiceRestoresThePayload() {
        let payload = ClientFrame.bytes(count: 1000)
        let once = payload.withUnsafeBytes { Self.mask.unmasked($0) }
        #expect(once != payload)
        #expect(once.withUnsafeBytes { Self.mask.unmasked($0) } == payload)
    }

    @Test func aPayloadUnmaskedInPiecesEqualsOneUnmaskedWhole() {
        let payload = ClientFrame.bytes(count: 100)
        let whole = payload.withUnsafeBytes { Self.mask.unmasked($0) }
        for cut in 0...100 {
            let head = Array(payload[..<cut]).withUnsafeBytes { Self.mask.unmasked($0) }
            let tail = Array(payload[cut...]).withUnsafeBytes { Self.mask.unmasked($0, payloadOffset: cut) }
            #expect(head + tail == whole, "cut at \(cut)")
        }
    }
}
