import Testing
@testable import PaceWebSocket

/// Autobahn group 7: close frame payloads.
struct CloseFrameTests {
    static let validCodes: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
    static let invalidCodes: [UInt16] = [0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535]

    @Test func anEmptyCloseHasNoCode() {
        #expect(ReaderHarness.events(ClientFrame.close(code: nil)) == [.close(code: nil, reason: [])])
    }

    @Test(arguments: validCodes)
    func validCodesComeOutToBeEchoed(code: UInt16) {
        let reason = Array("bye ✓".utf8)
        #expect(ReaderHarness.events(ClientFrame.close(code: code, reason: reason)) == [.close(code: WebSocketCloseCode(code), reason: reason)])
        #expect(WebSocketCloseCode(code).isValidInCloseFrame)
    }

    @Test(arguments: invalidCodes)
    func invalidCodesAreProtocolErrors(code: UInt16) {
        #expect(ReaderHarness.events(ClientFrame.close(code: code)) == [.fail(closeCode: .protocolError)])
        #expect(!WebSocketCloseCode(code).isValidInCloseFrame)
    }

    @Test func aOneBytePayloadIsAProtocolError() {
        #expect(ReaderHarness.events(ClientFrame.make(0x8, [0x03])) == [.fail(closeCode: .protocolError)])
    }

    @Test func aReasonOf123BytesIsAccepted() {
        let reason = ClientFrame.ascii(count: 123)
        #expect(ReaderHarness.events(ClientFrame.close(code: 1000, reason: reason)) == [.close(code: .normalClosure, reason: reason)])
    }

    @Test(arguments: [[0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80], [0x80], [0xE0, 0xA0]] as [[UInt8]])
    func aReasonThatIsNotUTF8IsInvalidPayload(reason: [UInt8]) {
        #expect(ReaderHarness.events(ClientFrame.close(code: 1000, reason: reason)) == [.fail(closeCode: .invalidPayload)])
    }

    @Test func nothingIsReadAfterAClose() {
        var reader = WebSocketReader()
        let input = ClientFrame.close(code: 1000) + ClientFrame.text("late")
        let first = input.withUnsafeBytes { reader.read($0) }
        #expect(first == WebSocketReadResult(consumed: 8, event: .close(code: .normalClosure, reason: [])))
        #expect(reader.isFinished)
        let rest = Array(input[8...])
        let second = rest.withUnsafeBytes { reader.read($0) }
        #expect(second == WebSocketReadResult(consumed: rest.count, event: nil))
    }

    @Test func messagesBeforeACloseComeOut() {
        let input = ClientFrame.text("last words") + ClientFrame.close(code: 1001, reason: Array("away".utf8))
        #expect(ReaderHarness.events(input) == [.text(Array("last words".utf8)), .close(code: .goingAway, reason: Array("away".utf8))])
    }
}
