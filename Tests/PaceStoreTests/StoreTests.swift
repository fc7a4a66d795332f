import Synchronization
import Glibc
import PaceStore
import Testing

@Suite struct StoreTests {
    @Test func opensCreatesTheFileAndClosesIdempotently() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        #expect(store.path == directory.file("pace.sqlite"))
        #expect(access(store.path, F_OK) == 0)
        store.close()
        store.close()
        #expect(throws: StoreError.closed) { try store.writeNow { _ in 1 } }
        #expect(throws: StoreError.closed) { try store.readNow { database throws(StoreError) in
            try database.run("SELECT 1")
        } }
    }

    @Test func missingDirectoryFailsTyped() {
        #expect(throws: StoreError.self) { try SQLiteStore(directory: "/tmp/pace-store-does-not-exist/x") }
    }

    @Test func writerPragmasAreSet() throws {
        try withStore { store, _ in
            let values = try store.writeNow { database throws(StoreError) in
                try ["journal_mode", "foreign_keys", "synchronous", "busy_timeout"].map { pragma throws(StoreError) in
                    try database.queryFirst("PRAGMA \(pragma)") { $0.string(0) } ?? ""
                }
            }
            #expect(values == ["wal", "1", "2", "5000"])
        }
    }

    @Test func readersAreQueryOnly() throws {
        try withStore { store, _ in
            let values = try store.readNow { database throws(StoreError) in
                try ["query_only", "foreign_keys", "journal_mode"].map { pragma throws(StoreError) in
                    try database.queryFirst("PRAGMA \(pragma)") { $0.string(0) } ?? ""
                }
            }
            #expect(values == ["1", "1", "wal"])
            #expect(throws: StoreError.self) {
                try store.readNow { database throws(StoreError) in try Fixture.user(database, "sneaky") }
            }
            #expect(throws: StoreError.self) {
                let latch = Latch<Result<Int64, StoreError>>()
                store.read({ database throws(StoreError) in try Fixture.user(database, "sneaky") }) { latch.put($0) }
                _ = try latch.take().get()
            }
        }
    }

    @Test func asyncReadSeesCommittedWrites() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            let latch = Latch<Result<String, StoreError>>()
            store.read({ database throws(StoreError) in
                try database.queryFirst("SELECT username FROM users WHERE id = 1") { $0.string(0) } ?? ""
            }) { latch.put($0) }
            #expect(try latch.take().get() == "owner")
        }
    }

    @Test func sequenceNeverRepeatsAcrossRollbacksAndRestarts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try SQLiteStore(directory: directory.path)
        let first = try store.writeNow { database throws(StoreError) in
            [try database.nextSequence(), try database.nextSequence()]
        }
        #expect(first == [1, 2])
        #expect(throws: StoreError.self) {
            try store.writeNow { database throws(StoreError) -> Int64 in
                _ = try database.nextSequence()
                throw StoreError.busy(message: "rolled back")
            }
        }
        let afterRollback = try store.writeNow { database throws(StoreError) in try database.nextSequence() }
        #expect(afterRollback == 4)
        store.close()
        store = try SQLiteStore(directory: directory.path)
        defer { store.close() }
        let afterRestart = try store.writeNow { database throws(StoreError) in try database.nextSequence() }
        #expect(afterRestart == 5)
        #expect(try Fixture.count(store, "SELECT value FROM sequence") == 5)
    }

    /// A hook whose rows already use values up to `floor`, and that counts its pre-commit calls.
    private final class FloorHook: CommitHook {
        let floor: Int64
        let calls = Atomic<Int>(0)

        init(floor: Int64) {
            self.floor = floor
        }

        func beforeCommit(_ transaction: any StoreTransaction, deferrable: Bool) throws(StoreError) {
            calls.add(1, ordering: .relaxed)
        }

        func sequenceFloor(_ transaction: any StoreTransaction) throws(StoreError) -> Int64 { floor }
    }

    @Test func sequenceResumesAboveTheHooksFloorAndTheHookRunsBeforeEveryCommit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let hook = FloorHook(floor: 41)
        let store = try SQLiteStore(directory: directory.path, commitHook: hook)
        defer { store.close() }
        let opened = hook.calls.load(ordering: .relaxed)
        #expect(opened >= 1)
        #expect(try store.writeNow { database throws(StoreError) in try database.nextSequence() } == 42)
        #expect(hook.calls.load(ordering: .relaxed) > opened)
        #expect(try Fixture.count(store, "SELECT value FROM sequence") == 42)
    }

    @Test func backupCopiesEveryRow() throws {
        try withStore { store, directory in
            try Fixture.seed(store)
            try store.writeNow { database throws(StoreError) in
                for index in 0..<200 {
                    try Fixture.message(database, conversation: 1, sender: 1, body: "message \(index)")
                }
            }
            let copy = directory.file("copy.sqlite")
            try store.backup(to: copy)
            let database = try Database(path: copy)
            let listing = "SELECT seq, body FROM messages ORDER BY seq"
            let rows = try database.query(listing) { "\($0.int64(0)) \($0.string(1))" }
            let original = try store.readNow { database throws(StoreError) in
                try database.query(listing) { "\($0.int64(0)) \($0.string(1))" }
            }
            #expect(rows.count == 200)
            #expect(rows == original)
            #expect(try database.query("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'message'") {
                $0.int64(0)
            } == [200])
        }
    }
}
