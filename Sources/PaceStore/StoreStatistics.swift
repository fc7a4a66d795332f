import PaceSystem
import Synchronization

/// The SQLite store's figures for `/metrics`: how long group commits and their search-index
/// upkeep take, and what the WAL checkpoints cost, so an operator can see a stall in the store
/// as the latency tail it causes.
package final class StoreStatistics: Sendable {
    /// A batch from BEGIN to COMMIT returned, fsync and upkeep included.
    let commit = DurationHistogram(name: "pace_store_commit_seconds",
                                   help: "Group commits, BEGIN to COMMIT returned (fsync included).")
    /// The commit hook's work in the batches that ran it (full-text indexing for chat).
    let upkeep = DurationHistogram(name: "pace_store_upkeep_seconds",
                                   help: "Search-index upkeep inside group commits that ran it.")
    let checkpoint = DurationHistogram(name: "pace_store_checkpoint_seconds",
                                       help: "WAL checkpoint passes, off the commit path.")
    let framesCopied = Atomic<Int>(0)
    let walFrames = Atomic<Int>(0)
    let restarts = Atomic<Int>(0)

    /// Prometheus text for these figures.
    package func render() -> String {
        var out = commit.render() + upkeep.render() + checkpoint.render()
        func metric(_ name: String, _ type: String, _ help: String, _ value: Int) {
            out += PrometheusText.single(name, type, help, value)
        }
        metric("pace_store_checkpoint_frames_total", "counter", "WAL frames copied into the database.",
               framesCopied.load(ordering: .relaxed))
        metric("pace_store_wal_frames", "gauge", "Frames in the WAL after the last checkpoint pass.",
               walFrames.load(ordering: .relaxed))
        metric("pace_store_checkpoint_restarts_total", "counter", "RESTART checkpoints forced by a WAL past its cap.",
               restarts.load(ordering: .relaxed))
        return out
    }
}
