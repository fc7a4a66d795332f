#if canImport(Glibc)
import Glibc
#endif
import PaceTLS
import Testing

/// A self-signed certificate written once to a private temporary directory, and server and
/// client contexts over it.
enum TLSFixture {
    static let directory: String = {
        var template = Array("/tmp/pace-tls-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            let pair = try SelfSignedCertificate.generate()
            write(pair.certificatePEM, to: path + "/cert.pem")
            write(pair.privateKeyPEM, to: path + "/key.pem")
        } catch {
            fatalError("certificate generation failed: \(error)")
        }
        return path
    }()

    static var certificatePath: String { directory + "/cert.pem" }
    static var keyPath: String { directory + "/key.pem" }

    static func identity(tickets: TicketKeyRing = TicketKeyRing()) throws -> TLSServerIdentity {
        try TLSServerIdentity(certificateChain: certificatePath, privateKey: keyPath, tickets: tickets)
    }

    static func client(versions: ClosedRange<TLSClientContext.Version> = .tls12 ... .tls13,
                       protocols: [String] = ["http/1.1"]) throws -> TLSClientContext {
        try TLSClientContext(trusting: certificatePath, versions: versions, protocols: protocols)
    }

    static func write(_ bytes: [UInt8], to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

/// One side of an in-memory connection: its engine and the plaintext it has decrypted.
final class Endpoint {
    let engine: TLSEngine
    var received: [UInt8] = []
    var sawCloseNotify = false

    init(_ engine: TLSEngine) {
        self.engine = engine
    }

    /// Handshakes or decrypts until the engine needs more input.
    func drive() throws {
        if !engine.isEstablished {
            guard try engine.handshake() else { return }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try engine.decrypt(into: $0) }
            guard let count else {
                sawCloseNotify = true
                return
            }
            if count == 0 { return }
            received += buffer[0..<count]
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { try engine.encrypt($0) }
    }

    var text: String { String(decoding: received, as: UTF8.self) }
}

/// Chunk sizes for moving ciphertext: whole, one byte at a time, or seeded random sizes.
enum Chunking: CustomStringConvertible, CaseIterable {
    case whole, byteByByte, random

    var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random: "random chunks"
        }
    }

    func sizes() -> () -> Int {
        switch self {
        case .whole: return { Int.max }
        case .byteByByte: return { 1 }
        case .random:
            var generator = SplitMix(seed: 0x5eed)
            return { Int(generator.next() % 700) + 1 }
        }
    }
}

/// A small deterministic generator, so a failing chunk pattern can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A client and a server engine joined by memory, ciphertext moved in the given chunks, each
/// receiver driven after every chunk.
final class EnginePair {
    let client: Endpoint
    let server: Endpoint
    private let size: () -> Int

    init(client: TLSEngine, server: TLSEngine, chunking: Chunking = .whole) {
        self.client = Endpoint(client)
        self.server = Endpoint(server)
        size = chunking.sizes()
    }

    /// Moves ciphertext both ways until neither side has any left to send.
    func pump() throws {
        var rounds = 0
        repeat {
            try transfer(from: client, to: server)
            try transfer(from: server, to: client)
            rounds += 1
        } while (client.engine.pendingCiphertext > 0 || server.engine.pendingCiphertext > 0) && rounds < 100
    }

    /// Starts the client's handshake and pumps until it is done.
    func handshake() throws {
        try client.drive()
        try pump()
    }

    func transfer(from sender: Endpoint, to receiver: Endpoint) throws {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while sender.engine.pendingCiphertext > 0 {
            let limit = min(size(), buffer.count)
            let count = buffer.withUnsafeMutableBytes { sender.engine.takeCiphertext(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<limit])) }
            try buffer.withUnsafeBytes { try receiver.engine.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            try receiver.drive()
        }
    }
}
