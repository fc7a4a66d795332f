import PaceApp
import PaceDeflate
import PaceLoop
@testable import PaceServer
import PaceTestSupport
import PaceWebSocket
import Testing

/// permessage-deflate end to end on the echo server, over in-memory connections: negotiated
/// on the upgrade, compressed messages inflated (with or without the client's context
/// takeover), large answers compressed and small ones not, and a decompression bomb closed
/// with 1009 before it grows past the message limit.
@Suite("WebSocket permessage-deflate (echo mode)")
struct WebSocketDeflateTests {
    static let offer = ("Sec-WebSocket-Extensions", "permessage-deflate")

    private func withEcho(maxMessageBytes: Int = 1 << 20, _ body: (EmbeddedServer) throws -> Void) throws {
        try withEmbeddedServer(handler: EchoServer(maxMessageBytes: maxMessageBytes), body)
    }

    private func inflate(_ frame: WebSocketTestClient.Frame?) throws -> String {
        let frame = try #require(frame)
        let inflater = try #require(MessageInflater(windowBits: 15))
        let result = frame.payload.withUnsafeBytes { inflater.inflate($0, limit: 1 << 20, keepContext: false) }
        return String(decoding: try result.get(), as: UTF8.self)
    }

    @Test func compressedMessagesGoBothWays() throws {
        try withEcho { server in
            let socket = WebSocketTestClient(over: server.client(), headers: [Self.offer])
            #expect(socket.handshake?.header("sec-websocket-extensions") == "permessage-deflate; server_no_context_takeover")
            // The client keeps its context: the second "Hello" refers back into the first.
            socket.send(opcode: 1, payload: [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv1: true)
            socket.send(opcode: 1, payload: [0xF2, 0x00, 0x11, 0x00, 0x00], rsv1: true)
            for _ in 0..<2 {
                #expect(socket.readFrame() == .init(fin: true, opcode: 1, payload: Array("Hello".utf8)))
            }
            let long = String(repeating: "compress me ", count: 40)
            socket.send(text: long)
            let answer = try #require(socket.readFrame())
            #expect(answer.compressed && answer.payload.count < 100)
            #expect(try inflate(answer) == long)
        }
    }

    @Test func withoutTheOfferNothingIsCompressed() throws {
        try withEcho { server in
            let socket = WebSocketTestClient(over: server.client())
            #expect(socket.handshake?.header("sec-websocket-extensions") == nil)
            let long = String(repeating: "compress me ", count: 40)
            socket.send(text: long)
            #expect(socket.readFrame() == .init(fin: true, opcode: 1, payload: Array(long.utf8)))
            socket.send(opcode: 1, payload: [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv1: true)
            #expect(socket.readDataOrClose()?.closeCode == 1002)
        }
    }

    @Test func aDecompressionBombClosesWith1009() throws {
        try withEcho(maxMessageBytes: 64 * 1024) { server in
            let socket = WebSocketTestClient(over: server.client(), headers: [Self.offer])
            let deflater = try #require(MessageDeflater(maxWindowBits: 15))
            let bomb = try #require([UInt8](repeating: 0x61, count: 4 << 20).withUnsafeBytes { deflater.compress($0) })
            #expect(bomb.count < 64 * 1024)
            socket.send(opcode: 1, payload: bomb, rsv1: true)
            #expect(socket.readDataOrClose()?.closeCode == 1009)
            #expect(socket.readsEOF())
        }
    }

    @Test(arguments: [
        ("not deflate", [0xFF, 0xFF, 0xFF, 0xFF, 0x12] as [UInt8], UInt16(1007)),
        // A stored block holding 0xCE: inflates fine, but is not UTF-8.
        ("invalid UTF-8 once inflated", [0x00, 0x01, 0x00, 0xFE, 0xFF, 0xCE, 0x00], UInt16(1007)),
    ] as [(String, [UInt8], UInt16)])
    func badCompressedPayloadsClose(name: String, payload: [UInt8], code: UInt16) throws {
        try withEcho { server in
            let socket = WebSocketTestClient(over: server.client(), headers: [Self.offer])
            socket.send(opcode: 1, payload: payload, rsv1: true)
            #expect(socket.readDataOrClose()?.closeCode == code, "\(name)")
        }
    }

    @Test func theLoopCompressesAFanOutFrameOncePerWindow() throws {
        let compression = WebSocketCompression()
        let event = SharedBytes(WebSocketFrameWriter.textFrame(Array(String(repeating: "event ", count: 50).utf8)))
        let first = compression.frame(event, windowBits: 15)
        #expect(first !== event && first.count < event.count)
        #expect(compression.frame(event, windowBits: 15) === first)
        let narrow = compression.frame(event, windowBits: 10)
        #expect(narrow !== first)
        #expect(compression.frame(event, windowBits: 10) === narrow)
        // 8 bits is served by zlib's 9-bit window, so they share a compressed frame.
        #expect(compression.frame(event, windowBits: 8) === compression.frame(event, windowBits: 9))
        let small = SharedBytes(WebSocketFrameWriter.textFrame(Array("tiny".utf8)))
        #expect(compression.frame(small, windowBits: 15) === small)
    }
}
