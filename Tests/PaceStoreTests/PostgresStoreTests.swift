#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceStore
import PaceSystem
import Synchronization
import Testing

/// `PostgreSQLStore` against a real server: runs when `PACE_TEST_DATABASE_URL` names one
/// (`make test-pg`), each test in a fresh schema.
@Suite(.enabled(if: PostgresFixture.url != nil, "needs PACE_TEST_DATABASE_URL (make test-pg)"))
struct PostgresStoreTests {
    @Test func aFailingItemRollsBackAloneAndItsNeighboursCommit() throws {
        try PostgresFixture.withStore { store in
            let user = try store.writeNow { db throws(StoreError) in try Fixture.user(db, "ann") }
            let group = try store.writeNow { db throws(StoreError) in try Fixture.group(db, owner: user) }
            let results = Mutex<[Int: Result<Int64, StoreError>]>([:])
            let latch = CountdownLatch(count: 3)
            for index in 0..<3 {
                store.write({ db throws(StoreError) in
                    let (_, seq) = try Fixture.message(db, conversation: group, sender: user, body: "m\(index)",
                                                       clientID: index == 2 ? "same" : "c\(index)")
                    if index == 1 { try db.run("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?1, 'ann', 'x', 'x', 1)", [.integer(user)]) }
                    return seq
                }, completion: { result in
                    results.withLock { $0[index] = result }
                    latch.countDown()
                })
            }
            latch.wait()
            let outcome = results.withLock { $0 }
            #expect(throws: StoreError.self) { try outcome[1]!.get() }
            if case .failure(let error) = outcome[1]!, case .constraint(let kind, _) = error { #expect(kind == .unique) }
            let stored = try store.readNow { db throws(StoreError) in
                try db.query("SELECT body FROM messages ORDER BY seq") { $0.string(0) }
            }
            #expect(stored == ["m0", "m2"])
        }
    }

    /// PostgreSQL aborts a transaction at its first failed statement. Work that swallows the
    /// error and reports success must not be acknowledged: it fails, and its neighbours commit.
    @Test func workThatSwallowsAStatementErrorIsNotAcknowledged() throws {
        try PostgresFixture.withStore { store in
            let user = try store.writeNow { db throws(StoreError) in try Fixture.user(db, "ned") }
            #expect(throws: StoreError.self) {
                try store.writeNow { db throws(StoreError) in
                    try? db.run("SELECT 1 / 0")
                    return try Fixture.group(db, owner: user)
                }
            }
            #expect(try store.writeNow { db throws(StoreError) in try Fixture.group(db, owner: user) } > 0)
            #expect(try Fixture.count(store, "SELECT count(*) FROM conversations") == 1)
        }
    }

    /// A slow read holds one reader connection; the pool's others keep answering meanwhile.
    @Test func aSlowReadDoesNotHoldUpOtherReads() throws {
        try PostgresFixture.withStore { store in
            let slowDone = CountdownLatch(count: 1)
            let started = Clock.monotonicMilliseconds()
            store.read({ db throws(StoreError) in try db.run("SELECT pg_sleep(1)") }) { _ in slowDone.countDown() }
            let quickDone = CountdownLatch(count: 1)
            let quickAt = Atomic<Int64>(0)
            store.read({ db throws(StoreError) in try db.queryFirst("SELECT 1") { $0.int64(0) } }) { _ in
                quickAt.store(Clock.monotonicMilliseconds(), ordering: .relaxed)
                quickDone.countDown()
            }
            quickDone.wait()
            slowDone.wait()
            #expect(quickAt.load(ordering: .relaxed) - started < 500)
        }
    }

    @Test func theSequenceSurvivesAReopenAndNeverRepeats() throws {
        try PostgresFixture.withStore { store, configuration in
            let first = try store.writeNow { db throws(StoreError) in try db.nextSequence() }
            store.close()
            let reopened = try ChatStore.openPostgres(configuration)
            defer { reopened.close() }
            let second = try reopened.writeNow { db throws(StoreError) in try db.nextSequence() }
            #expect(second > first)
            #expect(throws: StoreError.self) { try reopened.readNow { db throws(StoreError) in try db.nextSequence() } }
        }
    }

    @Test func readsSeeOneSnapshotAndValuesRoundTrip() throws {
        try PostgresFixture.withStore { store in
            let row = try store.readNow { db throws(StoreError) in
                try db.queryFirst("SELECT ?1, ?2, ?3, ?4, ?5", [.integer(-42), .real(1.5), .text("é'?"), .blob([0, 255, 16]), .null]) {
                    ($0.int64(0), $0.double(1), $0.string(2), $0.bytes(3), $0.isNull(4))
                }
            }
            #expect(row?.0 == -42)
            #expect(row?.1 == 1.5)
            #expect(row?.2 == "é'?")
            #expect(row?.3 == [0, 255, 16])
            #expect(row?.4 == true)
        }
    }

    @Test func aStatementTimeoutIsBusy() throws {
        var configuration = try #require(try PostgresFixture.freshConfiguration())
        configuration.statementTimeoutMilliseconds = 100
        let store = try ChatStore.openPostgres(configuration)
        defer { store.close() }
        #expect(throws: StoreError.busy(message: "ERROR:  canceling statement due to statement timeout")) {
            try store.readNow { db throws(StoreError) in try db.run("SELECT pg_sleep(1)") }
        }
        #expect(try store.readNow { db throws(StoreError) in try db.queryFirst("SELECT 1") { $0.int64(0) } } == 1)
    }

    /// Every connection of the store is killed (as a server restart would): the next read and
    /// write still succeed, on new connections, without a failed attempt first.
    @Test func connectionsKilledBetweenUsesAreReopenedWithoutFailingTheWork() throws {
        var configuration = try #require(try PostgresFixture.freshConfiguration())
        configuration.applicationName = "pace-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        let store = try ChatStore.openPostgres(configuration)
        defer { store.close() }
        _ = try store.writeNow { db throws(StoreError) in try Fixture.user(db, "kim") }
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: try #require(PostgresFixture.url)))
        defer { admin.close() }
        let killed = try admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?1",
            [.text(configuration.applicationName)]) { $0.bool(0) }
        #expect(killed.count >= 3)
        #expect(try store.writeNow { db throws(StoreError) in try Fixture.user(db, "lou") } > 0)
        #expect(try Fixture.count(store, "SELECT count(*) FROM users") == 2)
        let latch = CountdownLatch(count: 1)
        let outcome = Mutex<Result<Int64, StoreError>?>(nil)
        store.read({ db throws(StoreError) in try db.queryFirst("SELECT count(*) FROM users") { $0.int64(0) } ?? 0 }) { result in
            outcome.withLock { $0 = result }
            latch.countDown()
        }
        latch.wait()
        #expect(try outcome.withLock { $0 }?.get() == 2)
    }

    @Test func anUnreachableServerIsBusyWithTheReason() throws {
        var configuration = PostgresConfiguration(url: "postgres://postgres@127.0.0.1:1/pace")
        configuration.connectTimeoutSeconds = 2
        do {
            _ = try ChatStore.openPostgres(configuration)
            Issue.record("opened a store on a closed port")
        } catch {
            guard case .busy(let message) = error else { return #expect(Bool(false), "\(error)") }
            #expect(message.hasPrefix("PostgreSQL unavailable:"))
        }
    }
}

/// Fresh schemas of the database in `PACE_TEST_DATABASE_URL`.
enum PostgresFixture {
    static let url: String? = getenv("PACE_TEST_DATABASE_URL").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    private static let counter = Atomic<Int>(0)

    static func freshConfiguration() throws -> PostgresConfiguration? {
        guard let url else { return nil }
        let schema = "s\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)_\(Int(time(nil)) % 100_000)"
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        defer { admin.close() }
        try admin.execute("CREATE EXTENSION IF NOT EXISTS citext SCHEMA public; CREATE SCHEMA \(schema)")
        var configuration = PostgresConfiguration(url: url + "?options=-c%20search_path%3D\(schema)%2Cpublic")
        configuration.readerCount = 2
        return configuration
    }

    static func withStore(_ body: (PostgreSQLStore, PostgresConfiguration) throws -> Void) throws {
        let configuration = try #require(try freshConfiguration())
        let store = try ChatStore.openPostgres(configuration)
        defer { store.close() }
        try body(store, configuration)
    }

    static func withStore(_ body: (PostgreSQLStore) throws -> Void) throws {
        try withStore { store, _ in try body(store) }
    }
}
