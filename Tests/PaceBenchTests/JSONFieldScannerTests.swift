import Testing
@testable import PaceBench

/// Runs `body` over the UTF-8 bytes of `text`.
func withFrame<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
    Array(text.utf8).withUnsafeBytes(body)
}

@Suite struct JSONFieldScannerTests {
    let run = ClientID(tag: "ab12cd34")

    @Test func classifiesFramesInAnyKeyOrderAndSpacing() {
        #expect(withFrame(#"{"type":"hello","user_id":"1"}"#) { ServerMessage.kind(of: $0) } == .hello)
        #expect(withFrame(#"{ "message" : {"body":"t=5;"} , "type" :  "message.new" }"#) { ServerMessage.kind(of: $0) } == .messageNew)
        #expect(withFrame("{\"type\"\n:\t\"message.ack\"}") { ServerMessage.kind(of: $0) } == .messageAck)
        #expect(withFrame(#"{"type":"pong"}"#) { ServerMessage.kind(of: $0) } == .pong)
        #expect(withFrame(#"{"type":"error","error":{"code":"x"}}"#) { ServerMessage.kind(of: $0) } == .error)
        #expect(withFrame(#"{"type":"typing"}"#) { ServerMessage.kind(of: $0) } == .other)
        #expect(withFrame(#"{"type":"message.newer"}"#) { ServerMessage.kind(of: $0) } == .other)
        #expect(withFrame(#"{"kind":"hello"}"#) { ServerMessage.kind(of: $0) } == .other)
        #expect(withFrame(#"{"type":5}"#) { ServerMessage.kind(of: $0) } == .other)
    }

    @Test func keysInsideStringsDoNotMatch() {
        let frame = #"{"message":{"body":"say \"type\":\"hello\" now"},"type":"message.new"}"#
        #expect(withFrame(frame) { ServerMessage.kind(of: $0) } == .messageNew)
        // A key spelled as a value is skipped for the real key after it.
        #expect(withFrame(#"{"type":"seq","seq":5}"#) { ServerMessage.sequence($0) } == 5)
    }

    @Test func readsTheBodyStamp() {
        let frame = #"{"type":"message.new","message":{"id":"9","seq":9,"body":"t=123456789;xxx","client_id":null}}"#
        #expect(withFrame(frame) { ServerMessage.bodyStamp($0) } == 123_456_789)
        #expect(withFrame(#"{"message":{"body":"hello"}}"#) { ServerMessage.bodyStamp($0) } == nil)
        #expect(withFrame(#"{"message":{"body":"t=;"}}"#) { ServerMessage.bodyStamp($0) } == nil)
        #expect(withFrame(#"{"message":{"body":"t=99999999999999999999999"}}"#) { ServerMessage.bodyStamp($0) } == nil)
        #expect(withFrame(#"{"message":{"body":"t=12"#) { ServerMessage.bodyStamp($0) } == nil)
    }

    @Test func recognisesThisRunsClientIDs() {
        var id: [UInt8] = []
        run.append(index: 17, number: 42, to: &id)
        #expect(String(decoding: id, as: UTF8.self) == "ab12cd34-17-42")
        let frame = #"{"type":"message.new","message":{"client_id":"ab12cd34-17-42"}}"#
        #expect(withFrame(frame) { ServerMessage.clientIDOwner($0, run: run) } == 17)
        #expect(withFrame(#"{"client_id":"ffffffff-17-42"}"#) { ServerMessage.clientIDOwner($0, run: run) } == nil)
        #expect(withFrame(#"{"client_id":"ab12cd34"}"#) { ServerMessage.clientIDOwner($0, run: run) } == nil)
        #expect(withFrame(#"{"client_id":"ab12cd34x17-1"}"#) { ServerMessage.clientIDOwner($0, run: run) } == nil)
        #expect(withFrame(#"{"client_id":null}"#) { ServerMessage.clientIDOwner($0, run: run) } == nil)
    }

    @Test func readsIntegers() {
        #expect(withFrame(#"{"type":"hello","heartbeat_interval_ms": 30000,"x":1}"#) { ServerMessage.heartbeatMilliseconds($0) } == 30_000)
        #expect(withFrame(#"{"seq":-4}"#) { ServerMessage.sequence($0) } == nil)
        #expect(withFrame(#"{"seq":"4"}"#) { ServerMessage.sequence($0) } == nil)
        #expect(withFrame(#"{"other":4}"#) { ServerMessage.sequence($0) } == nil)
        #expect(withFrame(#"{"seq":"#) { ServerMessage.sequence($0) } == nil)
    }

    @Test func stringValuesSkipEscapesAndNeedTheirClosingQuote() {
        let range = withFrame(#"{"body":"a\"b\\","n":1}"#) { JSONFieldScanner.string(JSONFieldScanner.body, in: $0) }
        #expect(range == 9..<15)
        #expect(withFrame(#"{"body":"open"#) { JSONFieldScanner.string(JSONFieldScanner.body, in: $0) } == nil)
        #expect(withFrame("") { JSONFieldScanner.string(JSONFieldScanner.body, in: $0) } == nil)
    }

    @Test func decimalTextMatchesDescription() {
        for value: UInt64 in [0, 7, 10, 99, 1_000_000_007, .max] {
            var out: [UInt8] = []
            DecimalText.append(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == value.description)
        }
    }
}
