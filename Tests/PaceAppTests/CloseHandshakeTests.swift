#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceTestSupport
import Testing

@Suite("Close handshake: nothing after our close frame (RFC 6455 section 5.5.1)")
struct CloseHandshakeTests {
    /// Sends accepted just before a 1008 close are acknowledged by the store afterwards; those
    /// acknowledgements, and answers to what the peer keeps sending, must not follow the close.
    @Test func aPeerThatKeepsSendingAfterOurCloseGetsNoDataFramesAndIsDroppedInTime() throws {
        // Over TCP: the point is when the server ends the connection itself.
        let app = try TestApp(environment: ["PACE_WS_FRAMES_PER_SECOND": "10"], sockets: true)
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let room = try app.group(ann, [bob])
        let client = try ChatClient(app, token: ann.token)
        #expect(client.next("hello") != nil)
        let socket = client.socket
        let tcp = try #require(socket.client as? TestClient)
        var burst: [UInt8] = []
        for index in 0..<20 {
            burst += WebSocketTestClient.frame(opcode: 1, payload: Array(
                #"{"type":"message.send","ref":\#(index),"conversation_id":"\#(room)","body":"m\#(index)"}"#.utf8))
        }
        for _ in 0..<100 { burst += WebSocketTestClient.frame(opcode: 1, payload: Array(#"{"type":"ping"}"#.utf8)) }
        tcp.send(burst)
        var close: WebSocketTestClient.Frame?
        while close == nil, let frame = socket.readFrame() {
            if frame.opcode == 8 { close = frame }
        }
        #expect(close?.closeCode == 1008)
        let closedAt = Clock.monotonicMilliseconds()

        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(tcp.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var dataAfterClose: [String] = []
        var ended = false
        while !ended && Clock.monotonicMilliseconds() - closedAt < 4_000 {
            socket.send(opcode: 9, payload: [1])
            socket.send(text: #"{"type":"ping"}"#)
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(tcp.fd, $0.baseAddress, $0.count, 0) }
            if count == 0 || (count < 0 && errno == ECONNRESET) { ended = true }
            if count > 0 { dataAfterClose += Self.dataFrames(in: Array(chunk[0..<count])) }
        }
        #expect(dataAfterClose.isEmpty, "data frames after our close: \(dataAfterClose)")
        #expect(ended)
        #expect(Clock.monotonicMilliseconds() - closedAt < 2_000 + 800, "the close timeout is 2 s")
    }

    /// Text and binary frames among unmasked server frames; only whole frames are expected,
    /// since the server sent none after the close before this read.
    private static func dataFrames(in bytes: [UInt8]) -> [String] {
        var found: [String] = []
        var index = 0
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0F
            var length = Int(bytes[index + 1] & 0x7F)
            var offset = index + 2
            if length == 126, offset + 2 <= bytes.count {
                length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
                offset += 2
            }
            let end = min(bytes.count, offset + length)
            if opcode == 1 || opcode == 2 { found.append(String(decoding: bytes[offset..<end], as: UTF8.self)) }
            index = end
        }
        return found
    }
}
