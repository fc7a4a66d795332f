import PaceLoop
import PaceStore

/// Deletes content files once no upload row uses them: after a sweep, and after a deleted
/// message's attachments went. Always after the commit that removed the rows, and on the
/// blocking pool (`eraseLater`), never on a loop or the writer.
package struct ContentEraser: Sendable {
    let store: Store
    let storage: UploadStorage
    let pool: BlockingPool

    /// Erases what `digests` name on the pool; returns at once.
    func eraseLater(_ digests: [String]) {
        guard !digests.isEmpty else { return }
        pool.submit { [self] in
            for sha256 in Set(digests) { _ = erase(sha256) }
        }
    }

    /// Deletes the content file of `sha256` unless a row still uses it or an upload is storing
    /// it (see `UploadStorage.removeContent`). Blocks on the store: pool threads only.
    func erase(_ sha256: String) -> Bool {
        storage.removeContent(sha256: sha256) {
            // Unknown means referenced: a file is never deleted on a failed read.
            (try? store.readNow { database throws(StoreError) in
                try UploadQueries.isReferenced(sha256: sha256, in: database)
            }) ?? true
        }
    }
}
