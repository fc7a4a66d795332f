#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceTLS

/// Two self-signed certificates (both for localhost) written once to a temporary directory:
/// `cert.pem`/`key.pem` and `other-cert.pem`/`other-key.pem`.
package enum TestCertificates {
    package static let directory: String = {
        do {
            let path = try TemporaryDirectory.make()
            try write(SelfSignedCertificate.generate(), to: path, prefix: "")
            try write(SelfSignedCertificate.generate(), to: path, prefix: "other-")
            return path
        } catch {
            fatalError("test certificates: \(error)")
        }
    }()

    package static var certificatePath: String { directory + "/cert.pem" }
    package static var keyPath: String { directory + "/key.pem" }
    package static var otherCertificatePath: String { directory + "/other-cert.pem" }
    package static var otherKeyPath: String { directory + "/other-key.pem" }

    /// Writes a fresh pair as `PREFIXcert.pem` and `PREFIXkey.pem` in `directory`.
    package static func write(_ pair: SelfSignedCertificate, to directory: String, prefix: String) throws {
        try write(pair.certificatePEM, to: directory + "/\(prefix)cert.pem")
        try write(pair.privateKeyPEM, to: directory + "/\(prefix)key.pem")
    }

    package static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw SystemError("open") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw SystemError("write") }
    }

    package static func copy(_ source: String, to destination: String) throws {
        guard let bytes = FileContents.bytes(source) else { throw SystemError("read", code: ENOENT) }
        try write(bytes, to: destination)
    }
}
