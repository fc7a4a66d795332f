import PaceHTTP
import PaceLoop
import PaceServer
import Synchronization

/// The `BodyStream` of one upload: each chunk goes to the blocking pool, where the sink writes
/// and hashes it, and `ready` lets the server read the next one only after that, so a slow
/// disk slows the client instead of filling memory. `abort` (client gone, over the limit)
/// drops the partial file, also on the pool.
final class UploadReceiver: BodyStream {
    private let sink: Mutex<UploadSink>
    private let pool: BlockingPool

    /// A receiver for a body of `contentType`. A body that cannot be accepted (`failure`, or a
    /// content type that does not parse) is still read, to answer cleanly, but never stored.
    init(contentType: String?, failure: APIError?, storage: UploadStorage, pool: BlockingPool) {
        self.pool = pool
        let decided = Self.format(contentType)
        let format: UploadSink.Format
        let problem: APIError?
        switch decided {
        case .success(let value):
            format = value
            problem = failure
        case .failure(let error):
            format = .raw(.octetStream)
            problem = failure ?? error
        }
        sink = Mutex(UploadSink(format: format, storage: storage, failure: problem))
    }

    func write(_ chunk: [UInt8], ready: @escaping @Sendable () -> Void) {
        pool.submit { [self] in
            sink.withLock { $0.consume(chunk) }
            ready()
        }
    }

    func abort() {
        pool.submit { [self] in sink.withLock { $0.discard() } }
    }

    /// After the last chunk: stores the file and passes it (pinned) or the error on, from the pool.
    func finish(_ completion: @escaping @Sendable (Result<ReceivedFile, APIError>) -> Void) {
        pool.submit { [self] in completion(sink.withLock { $0.complete() }) }
    }

    /// Raw with its checked type (`application/octet-stream` when absent), or multipart.
    private static func format(_ contentType: String?) -> Result<UploadSink.Format, APIError> {
        guard let contentType else { return .success(.raw(.octetStream)) }
        guard let type = MediaType(contentType) else {
            return .failure(.validation("Content-Type", "must be a valid media type such as image/png"))
        }
        guard type.isMultipartFormData else { return .success(.raw(type)) }
        guard let boundary = type.boundary else {
            return .failure(APIError(400, "malformed_multipart", "The multipart Content-Type has no valid boundary."))
        }
        return .success(.multipart(MultipartParser(boundary: boundary)))
    }
}
