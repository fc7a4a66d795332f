import PaceJSON
import PaceServer
import PaceStore

/// `POST /api/v1/uploads`: the body streams to a temporary file, becomes a content file, and
/// a row records who uploaded what under which name.
final class UploadService: Sendable {
    private let context: AppContext
    private let storage: UploadStorage

    init(context: AppContext, storage: UploadStorage) {
        self.context = context
        self.storage = storage
    }

    /// Loop thread, before the body: a caller without a valid token gets a receiver that stores
    /// nothing, so no byte of theirs reaches the disk.
    func open(_ request: HTTPRequest) -> BodyStream {
        let token = AppRequest.bearer(request.header("authorization"))
        let authenticated = token.map { context.authenticator.authenticate(token: $0) } ?? .failure(.unauthorized)
        if case .failure(let refusal) = authenticated {
            return receiver(contentType: request.header("content-type"), failure: refusal)
        }
        return receiver(contentType: request.header("content-type"), failure: nil)
    }

    func create(_ request: AppRequest, _ reply: Reply) {
        let receiver = request.stream as? UploadReceiver ?? receiver(contentType: request.contentType, failure: nil)
        let caller: AuthenticatedUser
        switch context.authenticator.authenticate(request) {
        case .success(let user): caller = user
        case .failure(let refusal):
            receiver.abort()
            return reply.error(refusal)
        }
        let requestedName = request.queryValue("filename")
        receiver.finish { [context, storage] result in
            let file: ReceivedFile
            switch result {
            case .success(let received): file = received
            case .failure(let error): return reply.error(error)
            }
            let filename = UploadFilename.sanitize(requestedName ?? file.filename)
            let now = context.now()
            context.store.write({ database throws(StoreError) in
                try UploadQueries.insert(ownerID: caller.id, sha256: file.sha256, size: file.size,
                                         contentType: file.contentType, filename: filename, createdAt: now,
                                         in: database)
            }, completion: { inserted in
                storage.unpin(file.sha256)
                switch inserted {
                case .success(let upload):
                    reply.json(201) { upload.write(to: &$0) }
                case .failure(.constraint(kind: .foreignKey, _)):
                    // The token's user no longer exists.
                    reply.error(.invalidToken)
                case .failure(let failure):
                    reply.error(APIError(storeError: failure))
                }
            })
        }
    }

    private func receiver(contentType: String?, failure: APIError?) -> UploadReceiver {
        UploadReceiver(contentType: contentType, failure: failure, storage: storage, pool: context.pool)
    }
}
