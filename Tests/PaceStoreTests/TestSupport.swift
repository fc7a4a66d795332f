import PaceSystem
import Glibc
import PaceStore
import PaceApp

/// A fresh directory under /tmp, removed (with the files in it) by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/pace-store-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Deletes the directory and the plain files in it (the store creates no subdirectories).
    func remove() {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                    tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name != "." && name != ".." { unlink(file(name)) }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Opens a store in a temporary directory, runs `body`, then closes and removes everything. The
/// chat schema (the embedded migrations) comes with its commit hook, as the server opens it.
func withStore<T>(
    migrations: [Migrator.Migration] = Migrator.embedded,
    _ body: (SQLiteStore, TemporaryDirectory) throws -> T
) throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try SQLiteStore(directory: directory.path, migrations: migrations,
                                commitHook: migrations.map(\.name) == Migrator.embedded.map(\.name) ? ChatCommitHook() : nil)
    defer { store.close() }
    return try body(store, directory)
}

/// Rows the tests need before messages can be inserted (foreign keys are on).
enum Fixture {
    @discardableResult
    static func user(_ database: any StoreTransaction, _ name: String) throws(StoreError) -> Int64 {
        try database.queryFirst(
            "INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?1, ?1, 'x', 1) RETURNING id",
            [.text(name)]) { $0.int64(0) } ?? 0
    }

    @discardableResult
    static func group(_ database: any StoreTransaction, owner: Int64) throws(StoreError) -> Int64 {
        try database.queryFirst(
            "INSERT INTO conversations (type, title, owner_id, created_at) VALUES ('group', 't', ?1, 1) RETURNING id",
            [.integer(owner)]) { $0.int64(0) } ?? 0
    }

    /// Inserts a message taking its seq from the writer's sequence; returns (id, seq).
    @discardableResult
    static func message(
        _ database: any StoreTransaction, conversation: Int64, sender: Int64, body: String, clientID: String? = nil
    ) throws(StoreError) -> (id: Int64, seq: Int64) {
        let seq = try database.nextSequence()
        let id = try database.queryFirst("""
            INSERT INTO messages (seq, conversation_id, sender_id, body, client_id, created_at, version)
            VALUES (?1, ?2, ?3, ?4, ?5, 1, ?1) RETURNING id
            """, [.integer(seq), .integer(conversation), .integer(sender), .text(body), clientID.map(SQLValue.text) ?? .null]) {
            $0.int64(0)
        }
        return (id ?? 0, seq)
    }

    /// A store with one user (id 1) and one group conversation (id 1) in it.
    static func seed(_ store: any Store) throws {
        try store.writeNow { database throws(StoreError) in
            let owner = try user(database, "owner")
            try group(database, owner: owner)
        }
    }

    static func count(_ store: any Store, _ sql: String) throws -> Int64 {
        try store.readNow { database throws(StoreError) in
            try database.queryFirst(sql) { $0.int64(0) } ?? -1
        }
    }
}

/// Blocks threads until opened; used to hold the writer so that later writes share one batch.
final class Gate: @unchecked Sendable {
    private let lock = ConditionLock()
    private var isOpen = false

    func open() {
        lock.withLock { isOpen = true }
        lock.broadcast()
    }

    func wait() {
        lock.lock()
        while !isOpen { lock.wait() }
        lock.unlock()
    }
}

/// Counts completions and lets a test wait for an expected number; collects failures.
final class CompletionCounter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var done = 0
    private var failures: [String] = []

    func record(_ failure: String? = nil) {
        lock.withLock {
            done += 1
            if let failure { failures.append(failure) }
        }
        lock.broadcast()
    }

    /// Waits until `count` completions arrived; returns the failures seen.
    func wait(for count: Int) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        while done < count { lock.wait() }
        return failures
    }
}

/// Hands one value from a store thread to the test thread.
final class Latch<T>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var value: T?

    func put(_ newValue: T) {
        lock.withLock { value = newValue }
        lock.broadcast()
    }

    func take() -> T {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let value { return value }
            lock.wait()
        }
    }
}

/// Collects strings from completions on store threads.
final class ResultsBox: @unchecked Sendable {
    private let lock = ConditionLock()
    private var items: [String] = []

    func append(_ item: String) { lock.withLock { items.append(item) } }
    var values: [String] { lock.withLock { items } }
    var count: Int { lock.withLock { items.count } }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
