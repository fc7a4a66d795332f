internal import CCrypto

/// Digest algorithms fetched from the default provider once, instead of on every call.
///
/// OpenSSL 3 resolves `EVP_sha256()` through a locked provider lookup on each use; fetching once
/// keeps hot paths (WebSocket handshakes, token checks) off that lock.
enum MessageDigest {
    // A fetched EVP_MD is immutable and reference counted; OpenSSL documents it as safe to share
    // between threads, and it is never freed, so sharing the pointer is safe.
    nonisolated(unsafe) static let sha1: OpaquePointer = fetch("SHA1")
    nonisolated(unsafe) static let sha256: OpaquePointer = fetch("SHA256")

    private static func fetch(_ name: StaticString) -> OpaquePointer {
        let algorithm = name.withUTF8Buffer { name in
            name.withMemoryRebound(to: CChar.self) { EVP_MD_fetch(nil, $0.baseAddress, nil) }
        }
        guard let algorithm else { libraryFault("EVP_MD_fetch") }
        return algorithm
    }
}
