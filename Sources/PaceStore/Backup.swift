import CSQLite

extension Database {
    /// Copies this database into the file at `destination` in one step of SQLite's online backup:
    /// a single read transaction, so the copy is one consistent snapshot.
    package func backup(to destination: String) throws(StoreError) {
        let source = try liveHandle()
        let target = try Database(path: destination)
        defer { target.close() }
        let targetHandle = try target.liveHandle()
        guard let backup = sqlite3_backup_init(targetHandle, "main", source, "main") else {
            throw target.error(sqlite3_errcode(targetHandle))
        }
        let stepCode = sqlite3_backup_step(backup, -1)
        let finishCode = sqlite3_backup_finish(backup)
        guard stepCode == ResultCode.done else { throw StoreError(code: stepCode, message: "backup failed") }
        guard finishCode == ResultCode.ok else { throw target.error(finishCode) }
    }
}
