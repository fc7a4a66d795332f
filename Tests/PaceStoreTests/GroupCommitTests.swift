import PaceSystem
import PaceStore
import Testing

@Suite struct GroupCommitTests {
    /// Holds the writer inside one work item until `gate` opens, so everything queued meanwhile
    /// lands in the next batch together.
    private func holdWriter(_ store: SQLiteStore, until gate: Gate, done: CompletionCounter) {
        store.write({ _ in gate.wait() }) { _ in done.record() }
    }

    @Test func failingItemRollsBackOnlyItself() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            let gate = Gate()
            let done = CompletionCounter()
            holdWriter(store, until: gate, done: done)
            let outcomes = Latch<[String]>()
            let results = ResultsBox()
            for name in ["before", "bad", "after"] {
                store.write({ database throws(StoreError) in
                    try Fixture.user(database, name)
                    if name == "bad" { try Fixture.user(database, "BEFORE") }
                }) { result in
                    results.append("\(name):\(result.isSuccess ? "ok" : "failed")")
                    if results.count == 3 { outcomes.put(results.values) }
                }
            }
            gate.open()
            #expect(outcomes.take() == ["before:ok", "bad:failed", "after:ok"])
            let names = try store.readNow { database throws(StoreError) in
                try database.query("SELECT username FROM users ORDER BY id") { $0.string(0) }
            }
            #expect(names == ["owner", "before", "after"])
        }
    }

    @Test func commitFailureFailsTheWholeBatch() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            let gate = Gate()
            let done = CompletionCounter()
            holdWriter(store, until: gate, done: done)
            store.write({ database throws(StoreError) in try Fixture.user(database, "innocent") }) { result in
                done.record(result.isSuccess ? "innocent committed" : nil)
            }
            // A deferred foreign key is only checked at COMMIT, so this item succeeds on its own
            // and then makes the batch's COMMIT fail.
            store.write({ database throws(StoreError) in
                try database.run("PRAGMA defer_foreign_keys = ON")
                try Fixture.group(database, owner: 999)
            }) { result in
                done.record(result.isSuccess ? "violation committed" : nil)
            }
            gate.open()
            #expect(done.wait(for: 3).isEmpty)
            #expect(try Fixture.count(store, "SELECT count(*) FROM users WHERE username = 'innocent'") == 0)
            try store.writeNow { database throws(StoreError) in try Fixture.user(database, "later") }
            #expect(try Fixture.count(store, "SELECT count(*) FROM users") == 2)
        }
    }

    @Test func manyThreadsWritingConcurrentlyAreAllAcknowledgedAndStored() throws {
        let threads = 64, perThread = 100
        try withStore { store, _ in
            try Fixture.seed(store)
            let done = CompletionCounter()
            var workers: [OSThread] = []
            for _ in 0..<threads {
                workers.append(try OSThread(name: "test-writer") {
                    for index in 0..<perThread {
                        do {
                            try store.writeNow { database throws(StoreError) in
                                try Fixture.message(database, conversation: 1, sender: 1, body: "m \(index)")
                            }
                            done.record()
                        } catch {
                            done.record("\(error)")
                        }
                    }
                })
            }
            #expect(done.wait(for: threads * perThread).isEmpty)
            for worker in workers { worker.join() }
            #expect(try Fixture.count(store, "SELECT count(*) FROM messages") == Int64(threads * perThread))
            #expect(try Fixture.count(store, "SELECT count(DISTINCT seq) FROM messages") == Int64(threads * perThread))
            #expect(try Fixture.count(store, "SELECT max(seq) FROM messages") == Int64(threads * perThread))
        }
    }

    @Test func floodBeyondTheBatchLimitIsAllCommittedAndCompletedInOrder() throws {
        let count = 5000
        try withStore { store, _ in
            try Fixture.seed(store)
            let done = CompletionCounter()
            let order = ResultsBox()
            for index in 0..<count {
                store.write({ database throws(StoreError) in
                    try Fixture.message(database, conversation: 1, sender: 1, body: "flood \(index)").seq
                }) { result in
                    if case .success(let seq) = result { order.append(String(seq)) }
                    done.record(result.isSuccess ? nil : "failed")
                }
            }
            #expect(done.wait(for: count).isEmpty)
            #expect(order.values.compactMap { Int64($0) } == Array(1...Int64(count)))
            #expect(try Fixture.count(store, "SELECT count(*) FROM messages") == Int64(count))
        }
    }

    @Test func writeNowFromACompletionIsRefused() throws {
        try withStore { store, _ in
            let latch = Latch<StoreError?>()
            store.write({ _ in 1 }) { _ in
                do {
                    try store.writeNow { _ in 2 }
                    latch.put(nil)
                } catch {
                    latch.put(error as? StoreError)
                }
            }
            #expect(latch.take() == .misuse(message: "writeNow called from a write completion"))
        }
    }

    @Test func completionRunsOnlyAfterCommit() throws {
        let count = 300
        try withStore { store, _ in
            try Fixture.seed(store)
            let path = store.path
            let done = CompletionCounter()
            for index in 0..<count {
                store.write({ database throws(StoreError) in
                    try Fixture.message(database, conversation: 1, sender: 1, body: "durable \(index)").seq
                }) { result in
                    // A separate connection sees only committed data.
                    do {
                        let seq = try result.get()
                        let other = try Database(path: path)
                        let found = try other.queryFirst("SELECT count(*) FROM messages WHERE seq = ?1",
                                                         [.integer(seq)]) { $0.int64(0) }
                        done.record(found == 1 ? nil : "seq \(seq) not visible in its completion")
                    } catch {
                        done.record("\(error)")
                    }
                }
            }
            #expect(done.wait(for: count).isEmpty)
        }
    }

    @Test func closeDrainsQueuedWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try Fixture.seed(store)
        let done = CompletionCounter()
        for index in 0..<500 {
            store.write({ database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "late \(index)")
            }) { result in done.record(result.isSuccess ? nil : "failed") }
        }
        store.close()
        #expect(done.wait(for: 500).isEmpty)
        let reopened = try SQLiteStore(directory: directory.path)
        defer { reopened.close() }
        #expect(try Fixture.count(reopened, "SELECT count(*) FROM messages") == 500)
    }
}
