import PaceStore
import PaceSystem

/// `pace backup` and `pace restore`: a data directory's database and upload files, as a
/// directory holding `pace.sqlite` and `uploads/<aa>/<sha256>`. The signing key is not part
/// of it (a restored server makes a new one: access tokens end, refresh tokens still work).
package enum DataBackup {
    package struct Report: Sendable, Equatable {
        /// Content files copied.
        package var files = 0
        /// Content files the database lists that were not there to copy.
        package var missing = 0
    }

    package enum Failure: Error, CustomStringConvertible {
        case exists(String)
        case store(StoreError)
        case system(String, SystemError)

        package var description: String {
            switch self {
            case .exists(let path): "\(path) exists already; refusing to overwrite it"
            case .store(let error): "database: \(error)"
            case .system(let path, let error): "\(path): \(error)"
            }
        }
    }

    /// Writes one consistent snapshot of `store` to `destination/pace.sqlite`, then copies the
    /// content file of every upload that snapshot lists. `destination` must not exist. A file
    /// deleted between the snapshot and its copy (its message or upload went meanwhile) is
    /// counted in `missing`.
    package static func backup(_ store: SQLiteStore, uploads: String, to destination: String) throws(Failure) -> Report {
        guard !FileSystem.exists(destination) else { throw .exists(destination) }
        try system(destination) { () throws(SystemError) in try FileSystem.makeDirectories(destination) }
        let database = destination + "/" + SQLiteStore.fileName
        do throws(StoreError) { try store.backup(to: database) } catch { throw .store(error) }
        return try copyContent(listedIn: database, from: uploads, to: destination + "/uploads")
    }

    /// Restores a backup into `dataDirectory`, which must hold no database yet (stop the server
    /// and move the old directory away first).
    package static func restore(from source: String, into dataDirectory: String) throws(Failure) -> Report {
        let database = dataDirectory + "/" + SQLiteStore.fileName
        guard !FileSystem.exists(database) else { throw .exists(database) }
        try system(dataDirectory) { () throws(SystemError) in try FileSystem.makeDirectories(dataDirectory) }
        do throws(StoreError) {
            let copy = try Database(path: source + "/" + SQLiteStore.fileName, flags: .readWrite)
            defer { copy.close() }
            try copy.backup(to: database)
        } catch {
            throw .store(error)
        }
        return try copyContent(listedIn: database, from: source + "/uploads", to: dataDirectory + "/uploads")
    }

    private static func copyContent(listedIn database: String, from source: String,
                                    to destination: String) throws(Failure) -> Report {
        let digests: [String]
        do throws(StoreError) {
            let copy = try Database(path: database, flags: .readWrite)
            defer { copy.close() }
            digests = try copy.query("SELECT DISTINCT sha256 FROM uploads") { $0.string(0) }
        } catch {
            throw .store(error)
        }
        var report = Report()
        try system(destination) { () throws(SystemError) in try FileSystem.makeDirectory(destination) }
        for sha256 in digests {
            guard let name = UploadStorage.contentName(sha256: sha256) else { continue }
            let shard = destination + "/" + sha256.prefix(2)
            try system(shard) { () throws(SystemError) in try FileSystem.makeDirectory(shard) }
            do throws(SystemError) {
                try FileSystem.copy(source + "/" + name, to: destination + "/" + name)
                report.files += 1
            } catch where error.isNotFound {
                report.missing += 1
            } catch {
                throw .system(source + "/" + name, error)
            }
        }
        return report
    }

    private static func system(_ path: String, _ work: () throws(SystemError) -> Void) throws(Failure) {
        do throws(SystemError) { try work() } catch { throw .system(path, error) }
    }
}
