import PaceSystem
/// Reader threads, each with its own `query_only` connection, serving one shared queue. WAL lets
/// them read beside the writer; each work item sees one consistent snapshot because it runs in
/// its own read transaction.
struct ReaderPool {
    let queue = WorkQueue<PendingWork>()
    private let threads: [OSThread]

    /// Starts one thread per connection; the threads own and finally close the connections.
    init(connections: [Database]) throws(StoreError) {
        var threads: [OSThread] = []
        for (index, database) in connections.enumerated() {
            let handoff = Handoff(database)
            let queue = self.queue
            threads.append(try OSThread.storeThread(name: "pace-reader-\(index)") {
                Self.serve(queue, on: handoff.value)
            })
        }
        self.threads = threads
    }

    /// Refuses new reads, lets queued ones finish, and joins the threads.
    func close() {
        queue.close()
        for thread in threads { thread.join() }
    }

    private static func serve(_ queue: WorkQueue<PendingWork>, on database: Database) {
        var batch: [PendingWork] = []
        while queue.take(into: &batch, limit: 1) {
            for item in batch {
                item.settle(overriding: runSnapshot(item, on: database))
                item.deliver()
            }
            batch.removeAll(keepingCapacity: true)
        }
        database.close()
    }

    /// Runs `item` inside a read transaction; returns an error only if the transaction could not
    /// begin (the item's own failure travels in its result).
    static func runSnapshot(_ item: PendingWork, on database: Database) -> StoreError? {
        do {
            try database.run("BEGIN")
        } catch {
            return error
        }
        _ = item.run(database)
        if !database.isAutocommit { try? database.run("ROLLBACK") }
        return nil
    }
}
