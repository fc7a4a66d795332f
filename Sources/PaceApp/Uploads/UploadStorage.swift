import PaceCrypto
import PaceSystem
import Synchronization

/// The upload files under `<data-dir>/uploads`: content-addressed files at `<aa>/<sha256>`
/// (`aa` being the digest's first two hex digits), each stored once however many uploads
/// share its bytes, and partial bodies in `tmp/`. Every path is made here from a digest or
/// random bytes, never from client input. Blocking calls: pool threads only.
package final class UploadStorage: Sendable {
    /// A body being received: an open descriptor and its path under `tmp/`.
    struct TemporaryFile: Sendable {
        let file: FileDescriptor
        let path: String
    }

    package let root: String
    package let temporaryDirectory: String
    /// Digests whose content file an upload is storing and about to record: the sweep must
    /// not delete those files, though no row references them yet.
    private let pins = Mutex<[String: Int]>([:])

    package init(root: String) throws(ConfigurationError) {
        self.root = root
        temporaryDirectory = root + "/tmp"
        for directory in [root, temporaryDirectory] {
            do throws(SystemError) {
                try FileSystem.makeDirectory(directory)
            } catch {
                throw ConfigurationError("cannot create \(directory): \(error)")
            }
        }
    }

    /// A new empty file under `tmp/` with a random name.
    func createTemporaryFile() throws(SystemError) -> TemporaryFile {
        let path = temporaryDirectory + "/" + Hex.encode(SecureRandom.bytes(16)) + ".part"
        return TemporaryFile(file: try FileDescriptor.open(path, .createNew(permissions: 0o600)), path: path)
    }

    /// The content file for `sha256`, or nil when it is not 64 lowercase hex digits.
    package func contentPath(sha256: String) -> String? {
        Self.contentName(sha256: sha256).map { root + "/" + $0 }
    }

    /// `<aa>/<sha256>` under the uploads root, or nil when `sha256` is not 64 lowercase hex digits.
    package static func contentName(sha256: String) -> String? {
        guard sha256.utf8.count == 64,
              sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return sha256.prefix(2) + "/" + sha256
    }

    /// Moves the complete, synced temporary file (already closed) to its content path; when
    /// that file exists, the same bytes are stored already and the temporary file is dropped.
    /// The caller holds a pin on `sha256`.
    func store(temporaryPath: String, sha256: String) throws(SystemError) {
        guard let path = contentPath(sha256: sha256) else { throw .invalidArgument("rename") }
        let shard = root + "/" + sha256.prefix(2)
        try FileSystem.makeDirectory(shard)
        if FileSystem.exists(path) {
            try? FileSystem.remove(temporaryPath)
            return
        }
        try FileSystem.rename(temporaryPath, to: path)
        try FileSystem.syncDirectory(shard)
    }

    func pin(_ sha256: String) {
        pins.withLock { $0[sha256, default: 0] += 1 }
    }

    func unpin(_ sha256: String) {
        pins.withLock { pins in
            let count = (pins[sha256] ?? 1) - 1
            pins[sha256] = count > 0 ? count : nil
        }
    }

    /// Deletes the content file of `sha256` unless an upload holds a pin on it or
    /// `isReferenced` (asked under the pin lock, so no upload can start using the file
    /// between the question and the unlink) says a row uses it.
    func removeContent(sha256: String, isReferenced: () -> Bool) -> Bool {
        guard let path = contentPath(sha256: sha256) else { return false }
        return pins.withLock { pins in
            guard pins[sha256] == nil, !isReferenced() else { return false }
            do throws(SystemError) {
                try FileSystem.remove(path)
                return true
            } catch {
                if !error.isNotFound { Log.error("cannot delete upload content", ["error": "\(error)"]) }
                return false
            }
        }
    }

    /// Deletes temporary files last modified before `cutoffSeconds`; returns how many.
    func removeTemporaryFiles(modifiedBefore cutoffSeconds: Int64) -> Int {
        var removed = 0
        for name in (try? FileSystem.list(temporaryDirectory)) ?? [] {
            let path = temporaryDirectory + "/" + name
            // A file gone meanwhile was a body that just completed or was dropped.
            guard let modified = try? FileSystem.modifiedSeconds(path), modified < cutoffSeconds,
                  (try? FileSystem.remove(path)) != nil else { continue }
            removed += 1
        }
        return removed
    }
}
