#if canImport(Glibc)
import Glibc
#endif
import CShims
import PaceLoop
import PaceServer
import PaceSystem
import PaceTestSupport
import PaceTLS

/// Server and client contexts over the test certificates.
enum TLSTestFixture {
    static func factory(_ settings: TLSTransportSettings = TLSTransportSettings()) throws -> TLSTransportFactory {
        TLSTransportFactory(identity: try TLSServerIdentity(certificateChain: TestCertificates.certificatePath,
                                                            privateKey: TestCertificates.keyPath),
                            settings: settings)
    }

    static func client(trusting path: String = TestCertificates.certificatePath) throws -> TLSClientContext {
        try TLSClientContext(trusting: path)
    }
}

/// Plays the connection above a transport: reads once per report into a buffer of the given
/// size, as `Connection` does, and records what it got.
final class TransportReader: LoopHandler {
    let transport: Transport
    private let buffer: UnsafeMutableRawBufferPointer
    var plaintext: [UInt8] = []
    var reports = 0
    var ended = false
    var failure: SystemError?
    var writableReports = 0

    init(_ transport: Transport, bufferSize: Int = 64 * 1024) {
        self.transport = transport
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    var text: String { String(decoding: plaintext, as: UTF8.self) }

    func handleEvents(_ events: UInt32) {
        reports += 1
        if events & EPOLLOUT.rawValue != 0 { writableReports += 1 }
        guard events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0, !ended, failure == nil else { return }
        switch transport.read(into: buffer) {
        case .done(0):
            ended = true
            try? transport.setInterest([])
        case .done(let count): plaintext += UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        case .wouldBlock: break
        case .failed(let error):
            failure = error
            transport.close()
        }
    }

    /// Offers `bytes` to the transport; returns how many it took.
    func write(_ bytes: [UInt8]) -> IOResult<Int> {
        bytes.withUnsafeBytes { raw in
            var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
            return withUnsafePointer(to: &vector) { transport.write(UnsafeBufferPointer(start: $0, count: 1)) }
        }
    }
}

/// A TLS transport over a `MemoryTransport` on a loop stepped by the test, and a client engine
/// on the other end of the memory.
final class TLSTransportHarness {
    let loop: EventLoop
    let memory: MemoryTransport
    let factory: TLSTransportFactory
    let reader: TransportReader
    let client: TLSEngine
    var clientReceived: [UInt8] = []
    var clientSawCloseNotify = false

    init(factory: TLSTransportFactory, loop: EventLoop, window: Int = .max, readBuffer: Int = 64 * 1024) throws {
        self.loop = loop
        self.factory = factory
        memory = MemoryTransport(window: window)
        reader = TransportReader(factory.wrap(memory), bufferSize: readBuffer)
        client = try TLSTestFixture.client().makeEngine()
        try reader.transport.register(reader, interest: .readable, on: loop)
    }

    convenience init(_ settings: TLSTransportSettings = TLSTransportSettings(), window: Int = .max,
                     readBuffer: Int = 64 * 1024) throws {
        try self.init(factory: try TLSTestFixture.factory(settings), loop: try EventLoop(index: 0), window: window,
                      readBuffer: readBuffer)
    }

    /// Steps the loop until nothing is left to deliver.
    func settle(rounds: Int = 20) {
        for _ in 0..<rounds { loop.runOnce() }
    }

    /// The client's pending ciphertext.
    func clientCiphertext() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: client.pendingCiphertext)
        let count = bytes.withUnsafeMutableBytes { client.takeCiphertext(into: $0) }
        return Array(bytes[0..<count])
    }

    /// Moves client ciphertext to the server in `chunk`-sized pieces and the server's replies
    /// back, until neither side has anything more to say.
    func pump(chunk: Int = .max) throws {
        for _ in 0..<50 {
            let outgoing = clientCiphertext()
            var offset = 0
            while offset < outgoing.count {
                let end = min(outgoing.count, offset + min(chunk, outgoing.count))
                memory.feed(Array(outgoing[offset..<end]))
                offset = end
                settle(rounds: 2)
            }
            settle()
            let incoming = memory.takeOutput()
            settle(rounds: 2)
            if !incoming.isEmpty { try incoming.withUnsafeBytes { try client.feed($0) } }
            try driveClient()
            if outgoing.isEmpty && incoming.isEmpty && client.pendingCiphertext == 0 { return }
        }
    }

    func driveClient() throws {
        if !client.isEstablished {
            guard try client.handshake() else { return }
        }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try client.decrypt(into: $0) }
            guard let count else {
                clientSawCloseNotify = true
                return
            }
            if count == 0 { return }
            clientReceived += buffer[0..<count]
        }
    }

    func handshake(chunk: Int = .max) throws {
        try client.handshake()
        try pump(chunk: chunk)
    }

    func clientSend(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try client.encrypt($0) }
        try pump()
    }
}
