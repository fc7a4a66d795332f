import Glibc
import PaceStore
import PaceSystem
import Testing

@Suite struct CheckpointerTests {
    /// The figure `name` in the store's Prometheus text, or nil.
    private func figure(_ store: SQLiteStore, _ name: String) -> Double? {
        for line in store.renderMetrics().split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    @Test func theWriterNeverCheckpointsOnCommit() throws {
        try withStore { store, _ in
            let pages = try store.writeNow { database throws(StoreError) in
                try database.queryFirst("PRAGMA wal_autocheckpoint") { $0.int64(0) }
            }
            #expect(pages == 0)
        }
    }

    @Test func walFramesAreCopiedBackOffTheCommitPath() throws {
        try withStore { store, _ in
            for batch in 0..<40 {
                try store.writeNow { database throws(StoreError) in
                    for index in 0..<50 { try Fixture.user(database, "user-\(batch)-\(index)") }
                }
            }
            let deadline = Clock.monotonicMilliseconds() + 5_000
            while (figure(store, "pace_store_checkpoint_frames_total") ?? 0) == 0
                    && Clock.monotonicMilliseconds() < deadline {
                usleep(20_000)
            }
            #expect((figure(store, "pace_store_checkpoint_seconds_count") ?? 0) >= 1)
            #expect((figure(store, "pace_store_checkpoint_frames_total") ?? 0) >= 40)
            #expect(figure(store, "pace_store_checkpoint_restarts_total") == 0)
            #expect((figure(store, "pace_store_commit_seconds_count") ?? 0) >= 40)
        }
    }
}
