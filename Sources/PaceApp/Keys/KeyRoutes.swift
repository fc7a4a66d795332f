import PaceJSON
import PaceStore

/// HTTP handlers of the key service: a user's devices and their keys, bundle claims and the
/// key-change log. The server stores public keys only.
enum KeyRoutes {
    static let bodyLimit = 64 * 1024

    static func register(in router: inout Router, context: AppContext) {
        router.add(.post, "/api/v1/devices", bodyLimit: bodyLimit, .authenticated(context) { request, reply, caller in
            registerDevice(context, request, reply, callerID: caller.id)
        })
        router.add(.get, "/api/v1/devices", .authenticated(context) { _, reply, caller in
            listDevices(context, reply, userID: caller.id, owner: true)
        })
        router.add(.delete, "/api/v1/devices/{id}", .authenticated(context) { request, reply, caller in
            guard let deviceID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            let now = context.now()
            context.commitAnswer(reply, { db throws(StoreError) in
                try DeviceWrites.remove(db, userID: caller.id, deviceID: deviceID, now: now)
            }, success: { _ in reply.noContent() })
        })
        router.add(.put, "/api/v1/devices/{id}/signed-prekey", bodyLimit: 4096, .authenticated(context) { request, reply, caller in
            rotate(context, request, reply, callerID: caller.id)
        })
        router.add(.post, "/api/v1/devices/{id}/prekeys", bodyLimit: bodyLimit, .authenticated(context) { request, reply, caller in
            upload(context, request, reply, callerID: caller.id)
        })
        router.add(.post, "/api/v1/keys/claim", bodyLimit: bodyLimit, .authenticated(context) { request, reply, caller in
            claim(context, request, reply, callerID: caller.id)
        })
        router.add(.get, "/api/v1/users/{id}/devices", .authenticated(context) { request, reply, _ in
            guard let userID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
            listDevices(context, reply, userID: userID, owner: false)
        })
        router.add(.get, "/api/v1/users/{id}/key-changes", .authenticated(context) { request, reply, _ in
            keyChanges(context, request, reply)
        })
    }

    private static func registerDevice(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let reader = reply.jsonObject(of: request) else { return }
        let device: RegisterDevice
        switch KeyRequests.register(reader) {
        case .success(let parsed): device = parsed
        case .failure(let error): return reply.error(error)
        }
        let now = context.now()
        context.commitAnswer(reply, { db throws(StoreError) in
            try DeviceWrites.register(db, userID: callerID, device, now: now)
        }, success: { change in
            reply.json(201) { writer in KeyEncoder.write(change.device, into: &writer) }
        })
    }

    private static func listDevices(_ context: AppContext, _ reply: Reply, userID: Int64, owner: Bool) {
        context.readAnswer(reply, { db throws(StoreError) -> Result<[DeviceRecord], APIError> in
            if !owner, try !DeviceQueries.userExists(db, userID) { return .failure(.notFound) }
            return .success(try DeviceQueries.devices(db, userID: userID, counts: owner))
        }, success: { devices in
            reply.json { writer in
                writer.beginObject()
                writer.key("devices")
                writer.beginArray()
                for device in devices { KeyEncoder.write(device, into: &writer) }
                writer.endArray()
                writer.endObject()
            }
        })
    }

    private static func rotate(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let deviceID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        guard let reader = reply.jsonObject(of: request) else { return }
        let signed: SignedPrekey
        switch KeyRequests.signedPrekey(reader) {
        case .success(let parsed): signed = parsed
        case .failure(let error): return reply.error(error)
        }
        let now = context.now()
        context.writeAnswer(reply, { db throws(StoreError) in
            try DeviceWrites.rotate(db, userID: callerID, deviceID: deviceID, signed, now: now)
        }, success: { device in
            reply.json { writer in KeyEncoder.write(device, into: &writer) }
        })
    }

    private static func upload(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard let deviceID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        guard let reader = reply.jsonObject(of: request) else { return }
        let keys: [OneTimePrekey]
        switch KeyRequests.prekeyBatch(reader) {
        case .success(let parsed): keys = parsed
        case .failure(let error): return reply.error(error)
        }
        context.writeAnswer(reply, { db throws(StoreError) in
            try DeviceWrites.upload(db, userID: callerID, deviceID: deviceID, keys)
        }, success: { count in
            reply.json { writer in
                writer.beginObject()
                writer.key("one_time_prekey_count"); writer.int(count)
                writer.endObject()
            }
        })
    }

    private static func claim(_ context: AppContext, _ request: AppRequest, _ reply: Reply, callerID: Int64) {
        guard var reader = reply.jsonObject(of: request) else { return }
        let userIDs = ConversationRequests.ids(&reader, "user_ids", kind: "user") ?? []
        let deviceIDs = ConversationRequests.ids(&reader, "device_ids", kind: "device") ?? []
        if userIDs.isEmpty && deviceIDs.isEmpty && reader.problems.isEmpty {
            reader.addProblem("device_ids", "name at least one device or user")
        }
        if userIDs.count > KeyLimits.maximumClaim { reader.addProblem("user_ids", "at most \(KeyLimits.maximumClaim) users") }
        if deviceIDs.count > KeyLimits.maximumClaim {
            reader.addProblem("device_ids", "at most \(KeyLimits.maximumClaim) devices")
        }
        guard reader.problems.isEmpty else { return reply.error(.validation(reader.problems)) }
        context.commitAnswer(reply, { db throws(StoreError) in
            try KeyClaims.claim(db, callerID: callerID, userIDs: userIDs, deviceIDs: deviceIDs)
        }, success: { result in
            reply.json { writer in
                writer.beginObject()
                writer.key("bundles")
                writer.beginArray()
                for bundle in result.bundles { KeyEncoder.write(bundle, into: &writer) }
                writer.endArray()
                writer.endObject()
            }
        })
    }

    private static func keyChanges(_ context: AppContext, _ request: AppRequest, _ reply: Reply) {
        guard let userID = ResourceID.parse(request.parameters[0]) else { return reply.error(.notFound) }
        var problems: [FieldProblem] = []
        let after = request.queryValue("after").map { Int64($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
        if after == nil { problems.append(FieldProblem(field: "after", problem: "must be a non-negative integer")) }
        let limit = request.queryValue("limit").map { Int($0).flatMap { (1...200).contains($0) ? $0 : nil } } ?? 100
        if limit == nil { problems.append(FieldProblem(field: "limit", problem: "must be an integer from 1 to 200")) }
        guard problems.isEmpty, let after, let limit else { return reply.error(.validation(problems)) }
        context.readAnswer(reply, { db throws(StoreError) -> Result<([KeyChange], Bool), APIError> in
            guard try DeviceQueries.userExists(db, userID) else { return .failure(.notFound) }
            let page = try DeviceQueries.changes(db, userID: userID, after: after, limit: limit)
            return .success((page.changes, page.hasMore))
        }, success: { page in
            reply.json { writer in
                writer.beginObject()
                writer.key("key_changes")
                writer.beginArray()
                for change in page.0 { KeyEncoder.write(change, into: &writer) }
                writer.endArray()
                writer.key("has_more"); writer.bool(page.1)
                writer.endObject()
            }
        })
    }
}
