import PaceServer
import PaceStore
import PaceSystem

/// `GET /api/v1/uploads/{id}`: the bytes, streamed from the content file on the pool, to
/// those allowed to see them; everyone else is told the upload does not exist.
final class DownloadService: Sendable {
    private let context: AppContext
    private let storage: UploadStorage

    init(context: AppContext, storage: UploadStorage) {
        self.context = context
        self.storage = storage
    }

    func serve(_ request: AppRequest, _ reply: Reply) {
        guard let id = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        let caller: AuthenticatedUser
        switch context.authenticator.authenticate(request) {
        case .success(let user): caller = user
        case .failure(let refusal): return reply.error(refusal)
        }
        context.store.read({ database throws(StoreError) in
            try UploadQueries.readable(id: id, by: caller.id, in: database)
        }, completion: { [self] found in
            switch found {
            case .success(let upload?):
                send(upload, DownloadPlan(upload, ifNoneMatch: request.ifNoneMatch, range: request.range,
                                          ifRange: request.ifRange), reply)
            case .success(nil):
                reply.error(.notFound)
            case .failure(let failure):
                reply.error(APIError(storeError: failure))
            }
        })
    }

    private func send(_ upload: UploadRecord, _ plan: DownloadPlan, _ reply: Reply) {
        switch plan.status {
        case 304:
            return reply.send(HTTPResponse(status: 304, headers: plan.headers))
        case 416:
            var response = APIError(416, "range_not_satisfiable", "The range is outside the file.").response
            response.headers += plan.headers
            return reply.send(response)
        default:
            guard plan.length > 0 else { return reply.send(HTTPResponse(status: plan.status, headers: plan.headers)) }
        }
        context.pool.submit { [context, storage] in
            let file: FileDescriptor
            do throws(SystemError) {
                guard let path = storage.contentPath(sha256: upload.sha256) else { throw .invalidArgument("open") }
                file = try FileDescriptor.open(path, .readOnly)
            } catch {
                Log.error("cannot open upload content", ["id": String(upload.id), "error": "\(error)"])
                return reply.error(.internalError)
            }
            let stream = FileStream(file: file, offset: plan.offset, length: plan.length, pool: context.pool)
            reply.send(HTTPResponse(status: plan.status, headers: plan.headers,
                                    body: .stream(length: Int(plan.length), stream)))
        }
    }
}
