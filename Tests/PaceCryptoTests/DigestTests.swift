import Testing
@testable import PaceCrypto

@Suite struct DigestTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let input: String
        let sha1: String
        let sha256: String
        var testDescription: String { "\"\(input)\"" }
    }

    static let vectors = [
        Vector(
            input: "", sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(
            input: "abc", sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ]

    static let millionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    @Test(arguments: vectors)
    func oneShotDigests(_ vector: Vector) {
        let bytes = Array(vector.input.utf8)
        #expect(Hex.encode(Digest.sha1(bytes)) == vector.sha1)
        #expect(Hex.encode(Digest.sha256(bytes)) == vector.sha256)
        bytes.withUnsafeBytes { buffer in
            #expect(Hex.encode(Digest.sha1(buffer)) == vector.sha1)
            #expect(Hex.encode(Digest.sha256(buffer)) == vector.sha256)
        }
    }

    @Test(arguments: vectors)
    func streamingMatchesOneShot(_ vector: Vector) {
        let hasher = SHA256Hasher()
        for byte in vector.input.utf8 {
            hasher.update([byte])
        }
        #expect(Hex.encode(hasher.finalize()) == vector.sha256)
    }

    @Test func millionAOneShot() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(Digest.sha256(bytes)) == Self.millionA)
    }

    @Test func millionAInUnevenChunks() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let chunkSizes = [1, 7, 64, 0, 1000, 65, 3, 4096, 63]
        let hasher = SHA256Hasher()
        var offset = 0
        var turn = 0
        bytes.withUnsafeBytes { all in
            while offset < all.count {
                let end = min(offset + chunkSizes[turn % chunkSizes.count], all.count)
                hasher.update(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                offset = end
                turn += 1
            }
        }
        #expect(Hex.encode(hasher.finalize()) == Self.millionA)
    }

    @Test func finalizeStartsOver() {
        let hasher = SHA256Hasher()
        hasher.update(Array("something else".utf8))
        _ = hasher.finalize()
        hasher.update(Array("abc".utf8))
        #expect(Hex.encode(hasher.finalize()) == Self.vectors[1].sha256)
        #expect(Hex.encode(hasher.finalize()) == Self.vectors[0].sha256)
    }

    @Test func webSocketAcceptKey() {
        let key = Array("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8)
        #expect(Base64.standard.encode(Digest.sha1(key)) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}
