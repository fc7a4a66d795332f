#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceServer
import PaceSystem
import PaceTLS
import Testing

@Suite("TLS transport over an in-memory transport")
struct TLSTransportTests {
    @Test("the handshake runs inside the transport, fed whole or byte by byte", arguments: [Int.max, 1, 7])
    func handshake(chunk: Int) throws {
        let harness = try TLSTransportHarness()
        try harness.handshake(chunk: chunk)
        #expect(harness.client.isEstablished)
        let tls = try #require(harness.reader.transport as? TLSTransport)
        #expect(tls.isEstablished)
        #expect(harness.reader.reports == 0, "the connection hears nothing during the handshake")
        #expect(harness.factory.handshakesInProgress(loop: 0) == 0)
        #expect(harness.factory.statistics.value(.completed) == 1)
        try harness.clientSend("GET / HTTP/1.1\r\n\r\n")
        #expect(harness.reader.text == "GET / HTTP/1.1\r\n\r\n")
    }

    @Test("a request sent right behind the client's Finished reaches the connection")
    func pipelinedAfterFinished() throws {
        let harness = try TLSTransportHarness()
        try harness.client.handshake()
        harness.memory.feed(harness.clientCiphertext())
        harness.settle()
        try harness.memory.takeOutput().withUnsafeBytes { try harness.client.feed($0) }
        #expect(try harness.client.handshake())
        try Array("hello".utf8).withUnsafeBytes { try harness.client.encrypt($0) }
        harness.memory.feed(harness.clientCiphertext())
        harness.settle()
        #expect(harness.reader.text == "hello")
    }

    @Test("plaintext the engine still holds after a full read is reported again")
    func bufferedInputReported() throws {
        let harness = try TLSTransportHarness(readBuffer: 100)
        try harness.handshake()
        let message = String(repeating: "abcdefghij", count: 1_000)
        try harness.clientSend(message)
        harness.settle(rounds: 500)
        #expect(harness.memory.unreadInput == 0)
        #expect(harness.reader.text == message)
        #expect(harness.reader.reports >= 100)
    }

    @Test("a short write leaves ciphertext the transport flushes itself")
    func shortWrites() throws {
        let harness = try TLSTransportHarness(window: 300)
        try harness.handshake()
        let tls = try #require(harness.reader.transport as? TLSTransport)
        let payload = [UInt8](repeating: 0x61, count: 20_000)
        guard case .done(let taken) = harness.reader.write(payload) else {
            Issue.record("write refused")
            return
        }
        #expect(taken == payload.count)
        #expect(tls.holdsCiphertext)
        guard case .wouldBlock = harness.reader.write([1, 2, 3]) else {
            Issue.record("new plaintext taken while ciphertext waits")
            return
        }
        for _ in 0..<500 where harness.clientReceived.count < payload.count {
            try harness.pump()
        }
        #expect(harness.clientReceived == payload)
        #expect(!tls.holdsCiphertext)
    }

    @Test("frames written together leave in one record, not one record each")
    func gatheredWriteSharesARecord() throws {
        let harness = try TLSTransportHarness()
        try harness.handshake()
        _ = harness.memory.takeOutput()
        let frames = (0..<5).map { [UInt8](repeating: UInt8(0x61 + $0), count: 120) }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 600, alignment: 1)
        defer { storage.deallocate() }
        storage.copyBytes(from: frames.flatMap { $0 })
        let vectors = (0..<5).map { iovec(iov_base: storage.baseAddress! + $0 * 120, iov_len: 120) }
        let result = vectors.withUnsafeBufferPointer { harness.reader.transport.write($0) }
        guard case .done(let taken) = result else {
            Issue.record("write refused")
            return
        }
        #expect(taken == 600)
        harness.settle()
        let wire = harness.memory.takeOutput()
        var records = 0, offset = 0
        while offset + 5 <= wire.count {
            records += 1
            offset += 5 + (Int(wire[offset + 3]) << 8 | Int(wire[offset + 4]))
        }
        #expect(offset == wire.count)
        #expect(records == 1)
        try wire.withUnsafeBytes { try harness.client.feed($0) }
        try harness.driveClient()
        #expect(harness.clientReceived == frames.flatMap { $0 })
    }

    @Test("close_notify from the client is the end of the stream; ours reaches the client")
    func closeNotify() throws {
        let harness = try TLSTransportHarness()
        try harness.handshake()
        try harness.clientSend("last words")
        harness.client.close()
        try harness.pump()
        #expect(harness.reader.text == "last words")
        #expect(harness.reader.ended)
        #expect(harness.reader.failure == nil)
        harness.reader.transport.close()
        try harness.pump()
        #expect(harness.clientSawCloseNotify)
        #expect(harness.memory.isClosed)
    }

    @Test("end of stream without close_notify after the handshake is an ordinary end")
    func unexpectedEOF() throws {
        let harness = try TLSTransportHarness()
        try harness.handshake()
        try harness.clientSend("partial")
        harness.memory.endInput()
        harness.settle()
        #expect(harness.reader.text == "partial")
        #expect(harness.reader.ended)
        #expect(harness.reader.failure == nil)
    }

    @Test("a ClientHello cut short by end of stream ends the connection")
    func truncatedHandshake() throws {
        let harness = try TLSTransportHarness()
        try harness.client.handshake()
        let hello = harness.clientCiphertext()
        harness.memory.feed(Array(hello.prefix(hello.count / 2)))
        harness.settle()
        #expect(harness.reader.failure == nil)
        harness.memory.endInput()
        harness.settle()
        #expect(harness.reader.failure?.code == ECONNRESET)
        #expect(harness.factory.handshakesInProgress(loop: 0) == 0)
    }

    @Test("garbage records mid-stream end the connection with an alert")
    func garbageMidStream() throws {
        let harness = try TLSTransportHarness()
        try harness.handshake()
        harness.memory.feed([0x17, 0x03, 0x03, 0x00, 0x20] + [UInt8](repeating: 0xAB, count: 32))
        harness.settle()
        #expect(harness.reader.failure?.code == EPROTO)
        #expect(!harness.memory.pendingOutput.isEmpty, "an alert record")
    }

    @Test("a garbage first record ends the connection during the handshake")
    func garbageHandshake() throws {
        let harness = try TLSTransportHarness()
        harness.memory.feed([0x16, 0x03, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        harness.settle()
        #expect(harness.reader.failure?.code == EPROTO)
        #expect(harness.factory.handshakesInProgress(loop: 0) == 0)
        #expect(harness.factory.statistics.value(.failed) == 1)
        #expect(harness.factory.statistics.value(.completed) == 0)
    }

    @Test("plain HTTP on the TLS port gets a plain-text 400, then the connection ends")
    func plaintextHTTP() throws {
        let harness = try TLSTransportHarness()
        harness.memory.feed("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        harness.settle()
        let answer = String(decoding: harness.memory.takeOutput(), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(answer.hasSuffix("The plain HTTP request was sent to the HTTPS port.\n"))
        #expect(harness.memory.outputEnded)
        #expect(harness.reader.failure == nil, "the rest of the request is read first")
        harness.memory.endInput()
        harness.settle()
        #expect(harness.reader.failure != nil)
        #expect(harness.factory.statistics.value(.plainHTTP) == 1)
        #expect(harness.factory.statistics.value(.abandoned) == 0, "counted once, as plain HTTP")
    }

    @Test("a handshake that never finishes times out")
    func handshakeTimeout() throws {
        var settings = TLSTransportSettings()
        settings.handshakeTimeoutMilliseconds = 30
        let harness = try TLSTransportHarness(settings)
        try harness.client.handshake()
        harness.memory.feed(Array(harness.clientCiphertext().prefix(10)))
        let deadline = Clock.monotonicMilliseconds() + 2_000
        while harness.reader.failure == nil && Clock.monotonicMilliseconds() < deadline {
            harness.loop.runOnce(waitMilliseconds: 10)
        }
        #expect(harness.reader.failure?.code == ETIMEDOUT)
        #expect(harness.factory.handshakesInProgress(loop: 0) == 0)
        #expect(harness.factory.statistics.value(.timedOut) == 1)
    }

    @Test("connections beyond the per-loop handshake cap are refused at once")
    func handshakeCap() throws {
        var settings = TLSTransportSettings()
        settings.maxHandshakesPerLoop = 2
        let factory = try TLSTestFixture.factory(settings)
        let loop = try EventLoop(index: 0)
        let first = try TLSTransportHarness(factory: factory, loop: loop)
        let second = try TLSTransportHarness(factory: factory, loop: loop)
        #expect(factory.handshakesInProgress(loop: 0) == 2)
        #expect(throws: SystemError.self) { try TLSTransportHarness(factory: factory, loop: loop) }
        try first.handshake()
        #expect(factory.handshakesInProgress(loop: 0) == 1)
        let third = try TLSTransportHarness(factory: factory, loop: loop)
        try third.handshake()
        try second.handshake()
        #expect(second.client.isEstablished && third.client.isEstablished)
        #expect(factory.handshakesInProgress(loop: 0) == 0)
        #expect(factory.statistics.value(.refused) == 1)
        #expect(factory.statistics.value(.completed) == 3)
        #expect(factory.statistics.render().contains("pace_tls_handshakes_total{result=\"refused\"} 1\n"))
    }

    @Test("an idle established connection holds no buffers")
    func idleIsSmall() throws {
        let harness = try TLSTransportHarness()
        try harness.handshake()
        try harness.clientSend(String(repeating: "x", count: 40_000))
        let tls = try #require(harness.reader.transport as? TLSTransport)
        _ = harness.reader.write([UInt8](repeating: 0x62, count: 30_000))
        try harness.pump()
        #expect(!tls.holdsCiphertext)
        #expect(tls.engine.bufferCapacity <= 8 * 1024)
    }
}
