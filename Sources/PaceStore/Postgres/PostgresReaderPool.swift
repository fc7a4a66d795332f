import PaceSystem

/// Reader threads, each with its own PostgreSQL connection, serving one shared queue. Each item
/// runs in a REPEATABLE READ READ ONLY transaction: one snapshot for all its statements, as
/// SQLite's read transactions give. A lost connection fails the item with `.busy` and is
/// reopened for a later item (at most every `PostgresWriter.reconnectInterval`).
struct PostgresReaderPool {
    let queue = WorkQueue<PendingWork>()
    private let threads: [OSThread]

    init(connections: [PostgresConnection]) throws(StoreError) {
        var threads: [OSThread] = []
        for (index, connection) in connections.enumerated() {
            let handoff = Handoff(connection)
            let queue = self.queue
            threads.append(try OSThread.storeThread(name: "pace-pg-reader-\(index)") {
                Self.serve(queue, on: handoff.value)
            })
        }
        self.threads = threads
    }

    func close() {
        queue.close()
        for thread in threads { thread.join() }
    }

    private static func serve(_ queue: WorkQueue<PendingWork>, on connection: PostgresConnection) {
        var batch: [PendingWork] = []
        var lastAttempt: Int64 = 0
        while queue.take(into: &batch, limit: 1) {
            for item in batch {
                if !connection.isConnected {
                    let now = Clock.monotonicNanoseconds()
                    if now - lastAttempt >= PostgresWriter.reconnectIntervalNanoseconds {
                        lastAttempt = now
                        try? connection.reconnect()
                    }
                }
                item.settle(overriding: runSnapshot(item, on: connection))
                item.deliver()
            }
            batch.removeAll(keepingCapacity: true)
        }
        connection.close()
    }

    /// Runs `item` in a read-only snapshot; returns an error only when the transaction could not
    /// begin (the item's own failure travels in its result).
    static func runSnapshot(_ item: PendingWork, on connection: PostgresConnection) -> StoreError? {
        do {
            try connection.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        } catch {
            return error
        }
        _ = item.run(connection)
        if connection.isConnected { try? connection.run("ROLLBACK") }
        return nil
    }
}
