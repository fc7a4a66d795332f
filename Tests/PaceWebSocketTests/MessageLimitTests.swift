import Testing
@testable import PaceWebSocket

/// Autobahn group 9 sizes and the 1009 limit, which must trip on the declared length
/// before any of the payload is kept.
struct MessageLimitTests {
    @Test func aMessageOfExactlyTheLimitPasses() {
        let payload = ClientFrame.ascii(count: 1000)
        #expect(ReaderHarness.events(ClientFrame.text(payload), maxMessageBytes: 1000) == [.text(payload)])
        let fragmented = ClientFrame.text(Array(payload[..<600]), fin: false) + ClientFrame.continuation(Array(payload[600...]))
        #expect(ReaderHarness.events(fragmented, maxMessageBytes: 1000) == [.text(payload)])
    }

    @Test func anOversizedFrameFailsOnItsLengthBytes() {
        let frame = ClientFrame.binary(ClientFrame.bytes(count: 1001))
        #expect(ReaderHarness.events(frame, maxMessageBytes: 1000) == [.fail(closeCode: .messageTooBig)])
        #expect(ReaderHarness.failurePoint(frame, maxMessageBytes: 1000)?.bytesFed == 4)
    }

    @Test func theHeaderAloneIsEnoughToFail() {
        var reader = WebSocketReader(maxMessageBytes: 1000)
        let header: [UInt8] = [0x81, 0xFE, 0x03, 0xE9]
        let result = header.withUnsafeBytes { reader.read($0) }
        #expect(result.event == .fail(closeCode: .messageTooBig))
    }

    @Test func aFragmentPushingTheMessageOverFails() {
        let input = ClientFrame.text(ClientFrame.ascii(count: 600), fin: false) + ClientFrame.continuation(ClientFrame.ascii(count: 401))
        #expect(ReaderHarness.events(input, maxMessageBytes: 1000) == [.fail(closeCode: .messageTooBig)])
        #expect(ReaderHarness.failurePoint(input, maxMessageBytes: 1000)?.bytesFed == 608 + 4)
    }

    @Test func aHugeSixtyFourBitLengthFailsWith1009() {
        let header: [UInt8] = [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]
        #expect(ReaderHarness.events(header) == [.fail(closeCode: .messageTooBig)])
        #expect(ReaderHarness.failurePoint(header)?.bytesFed == 10)
    }

    @Test func theLimitDoesNotApplyToControlFrames() {
        let input = ClientFrame.ping(ClientFrame.bytes(count: 125)) + ClientFrame.text([])
        #expect(ReaderHarness.events(input, maxMessageBytes: 0) == [.ping(ClientFrame.bytes(count: 125)), .text([])])
        #expect(ReaderHarness.events(ClientFrame.text("x"), maxMessageBytes: 0) == [.fail(closeCode: .messageTooBig)])
    }

    @Test func theLimitCountsEachMessageAfresh() {
        let message = ClientFrame.binary(ClientFrame.bytes(count: 800))
        #expect(ReaderHarness.events(message + message, maxMessageBytes: 1000) == [.binary(ClientFrame.bytes(count: 800)), .binary(ClientFrame.bytes(count: 800))])
    }

    @Test func theDefaultIsOneMebibyte() {
        #expect(WebSocketReader().maxMessageBytes == 1 << 20)
        let header: [UInt8] = [0x82, 0xFF, 0, 0, 0, 0, 0, 0x10, 0, 1, 1, 2, 3, 4]
        #expect(ReaderHarness.events(header) == [.fail(closeCode: .messageTooBig)])
    }

    @Test(arguments: [64 * 1024, 256 * 1024, 1 << 20])
    func largeMessagesOfAutobahnGroup9(size: Int) {
        let payload = ClientFrame.ascii(count: size)
        var reader = WebSocketReader()
        let frame = ClientFrame.text(payload)
        var events: [WebSocketEvent] = []
        var offset = 0
        while offset < frame.count {
            let end = min(offset + 4096, frame.count)
            let result = Array(frame[offset..<end]).withUnsafeBytes { reader.read($0) }
            #expect(result.consumed == end - offset)
            offset = end
            if let event = result.event { events.append(event) }
        }
        #expect(events == [.text(payload)])
    }
}
