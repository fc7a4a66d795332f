#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceTLS

/// `pace tls-selfsigned DIR`: a local key and certificate for running Pace over TLS.
enum TLSCommands {
    static func selfSigned(_ arguments: [String]) -> Int32 {
        guard arguments.count == 1, let directory = arguments.first, !directory.hasPrefix("-") else {
            Output.error("usage: pace tls-selfsigned DIR")
            return 2
        }
        let key = directory + "/key.pem"
        let certificate = directory + "/cert.pem"
        do {
            try DataDirectory.create(directory)
            let pair = try SelfSignedCertificate.generate()
            try write(pair.privateKeyPEM, to: key, mode: 0o600)
            try write(pair.certificatePEM, to: certificate, mode: 0o644)
        } catch {
            Output.error("pace: \(error)")
            return 1
        }
        Output.line("""
        wrote \(key) (ECDSA P-256, mode 0600) and \(certificate)
        (self-signed for localhost, 127.0.0.1 and ::1; valid 90 days). Serve with:
          PACE_TLS_CERT=\(certificate) PACE_TLS_KEY=\(key) pace
        """)
        return 0
    }

    /// Writes through a new file beside `path`, created with `mode`, then renames it over
    /// `path`: a key is never readable by others, even for a moment or when `path` existed.
    private static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(ConfigurationError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("create", temporary) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                close(fd)
                throw failure("write", temporary)
            }
            offset += written
        }
        let synced = fchmod(fd, mode) == 0 && fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else { throw failure("write", path) }
    }

    private static func failure(_ action: String, _ path: String) -> ConfigurationError {
        ConfigurationError("cannot \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
