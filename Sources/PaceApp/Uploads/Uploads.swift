import PaceLoop
import PaceServer

/// Uploads and downloads: the storage under `<data-dir>/uploads`, the two routes and the sweep.
package final class Uploads: Sendable {
    package let settings: UploadSettings
    package let storage: UploadStorage
    package let sweeper: UploadSweeper
    /// For other services that remove upload rows (message deletion).
    package let eraser: ContentEraser
    private let creation: UploadService
    private let download: DownloadService

    package init(context: AppContext) throws(ConfigurationError) {
        settings = try UploadSettings(environment: context.configuration.environment)
        storage = try UploadStorage(root: context.configuration.uploadsDirectory)
        eraser = ContentEraser(store: context.store, storage: storage, pool: context.pool)
        sweeper = UploadSweeper(store: context.store, storage: storage, pool: context.pool, settings: settings)
        creation = UploadService(context: context, storage: storage)
        download = DownloadService(context: context, storage: storage)
    }

    package func register(in router: inout Router) {
        router.add(.post, "/api/v1/uploads", bodyLimit: settings.maxBytes,
                   .streamed(open: { [creation] in creation.open($0) },
                             service: { [creation] in creation.create($0, $1) }))
        router.add(.get, "/api/v1/uploads/{id}", .service { [download] in download.serve($0, $1) })
    }

    /// Starts the periodic sweep on `loop`'s timers.
    package func startSweeping(on loop: EventLoop) {
        sweeper.start(on: loop)
    }
}
