#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceWebSocket
import Synchronization
import Testing
@testable import PaceBench

/// The driver against a scripted server that sends what a real one may: a fragmented
/// `hello` with a ping between its fragments, delivered a few bytes at a time, frames with
/// 16 and 64-bit lengths, and a close.
@Suite struct ScriptedServerTests {
    final class Recorder: MessageHandler {
        var stamps: [UInt64] = []
        func received(_ kind: ServerMessageKind, _ frame: UnsafeRawBufferPointer, connection index: Int, now: UInt64) {
            if kind == .messageNew, let stamp = ServerMessage.bodyStamp(frame) { stamps.append(stamp) }
        }
    }

    @Test func handlesFragmentsLongFramesPingsAndClose() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 4, reusePort: false)
        defer { close(listener) }
        var options = BenchOptions(mode: .fanout)
        options.port = try Socket.localPort(listener)
        options.clients = 1
        options.connectTimeout = 5
        let clientEvents = Mutex<[WebSocketEvent]>([])
        let server = try OSThread(name: "scripted") { Self.serve(listener, record: clientEvents) }

        let driver = try LoadDriver(options: options, tokens: ["token"], log: ProgressLog(quiet: true, verbose: false))
        let recorder = Recorder()
        #expect(driver.connectAll(handler: recorder).connected == 1)
        let deadline = LoadDriver.now() + 5_000_000_000
        while driver.openConnections > 0 && LoadDriver.now() < deadline {
            driver.poll(timeoutMilliseconds: 10, handler: recorder)
        }
        #expect(recorder.stamps == [7, 8])
        #expect(driver.counters.pingsAnswered == 1)
        #expect(driver.counters.closeCodes == [4000: 1])
        #expect(driver.counters.disconnects == 1)
        #expect(driver.counters.protocolErrors == 0)
        #expect(driver.counters.otherFrames == 0)
        server.join()
        #expect(clientEvents.withLock { $0 } == [.pong(Array("p1".utf8)), .close(code: WebSocketCloseCode(4000), reason: [])])
    }

    private static func serverFrame(_ opcode: UInt8, fin: Bool = true, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        var out: [UInt8] = []
        WebSocketFrameWriter.writeHeader(WebSocketOpcode(rawValue: opcode) ?? .text, payloadLength: payload.count, into: &out)
        if !fin { out[0] &= 0x7F }
        return out + payload
    }

    private static func serve(_ listener: Int32, record: borrowing Mutex<[WebSocketEvent]>) {
        var fd: Int32 = -1
        for _ in 0..<500 where fd < 0 {
            if case .done(let accepted) = Socket.accept(listener) { fd = accepted.fd } else { usleep(10_000) }
        }
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, 0)
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            request += chunk[..<count]
        }
        let key = String(decoding: request, as: UTF8.self).split(separator: "\r\n")
            .first { $0.hasPrefix("Sec-WebSocket-Key: ") }.map { String($0.dropFirst(19)) } ?? ""
        let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(UpgradeRequest.expectedAccept(key: key))\r\n\r\n"
        let hello = Array(head.utf8)
            + serverFrame(0x1, fin: false, #"{"type":"hel"#)
            + serverFrame(0x9, "p1")
            + serverFrame(0x0, fin: false, #"lo","heartbeat"#)
            + serverFrame(0x0, #"_interval_ms":0}"#)
        for index in stride(from: 0, to: hello.count, by: 5) {
            send(fd, Array(hello[index..<min(index + 5, hello.count)]))
            usleep(200)
        }
        let medium = #"{"type":"message.new","message":{"seq":1,"body":"t=7;\#(String(repeating: "m", count: 300))"}}"#
        let large = #"{"type":"message.new","message":{"seq":2,"body":"t=8;\#(String(repeating: "l", count: 70_000))"}}"#
        send(fd, serverFrame(0x1, medium) + serverFrame(0x1, large) + [0x88, 2, 0x0F, 0xA0])
        var reader = WebSocketReader()
        var pending: [UInt8] = []
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            pending += chunk[..<count]
            while let event = pending.withUnsafeBytes({ bytes -> WebSocketEvent? in
                let result = reader.read(bytes)
                pending.removeFirst(result.consumed)
                return result.event
            }) {
                record.withLock { $0.append(event) }
            }
        }
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            offset += count
        }
    }
}
