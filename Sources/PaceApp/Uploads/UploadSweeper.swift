import PaceLoop
import PaceStore
import PaceSystem

/// Deletes what uploads leave behind: uploads never attached to a message nor used as an
/// avatar once older than `unattachedAgeMilliseconds` (with their content file when no other
/// upload shares it), and temporary files of bodies that never completed. A loop timer only
/// schedules it; the sweep itself runs on the blocking pool.
package final class UploadSweeper: Sendable {
    /// What one sweep removed.
    package struct Report: Sendable, Equatable {
        package var uploads = 0
        package var contentFiles = 0
        package var temporaryFiles = 0
    }

    private let store: any Store
    private let storage: UploadStorage
    private let pool: BlockingPool
    private let settings: UploadSettings
    private let eraser: ContentEraser
    private static let batch = 500

    init(store: any Store, storage: UploadStorage, pool: BlockingPool, settings: UploadSettings) {
        self.store = store
        self.storage = storage
        self.pool = pool
        self.settings = settings
        eraser = ContentEraser(store: store, storage: storage, pool: pool)
    }

    /// Sweeps after `settings.firstSweepDelayMilliseconds`, then every interval, with `loop`'s
    /// timers; stops with the loop.
    func start(on loop: EventLoop) {
        PeriodicJob.start(on: loop, pool: pool, firstDelayMilliseconds: settings.firstSweepDelayMilliseconds,
                          intervalMilliseconds: settings.sweepIntervalMilliseconds) { [self] in
            sweep(now: Clock.wallMilliseconds())
        }
    }

    /// One sweep as of `now` (wall milliseconds). Blocks on the store: pool threads and tests only.
    @discardableResult
    package func sweep(now: Int64) -> Report {
        var report = Report()
        report.temporaryFiles = storage.removeTemporaryFiles(
            modifiedBefore: (now - settings.temporaryAgeMilliseconds) / 1000)
        let cutoff = now - settings.unattachedAgeMilliseconds
        do {
            while true {
                let deleted = try store.writeNow { database throws(StoreError) in
                    try UploadQueries.deleteUnattached(createdBefore: cutoff, limit: Self.batch, in: database)
                }
                report.uploads += deleted.count
                for sha256 in Set(deleted) where eraser.erase(sha256) { report.contentFiles += 1 }
                if deleted.count < Self.batch { break }
            }
        } catch {
            Log.error("upload sweep failed", ["error": "\(error)"])
        }
        if report != Report() {
            Log.info("upload sweep", ["uploads": String(report.uploads), "files": String(report.contentFiles),
                                      "temporary": String(report.temporaryFiles)])
        }
        return report
    }

}
