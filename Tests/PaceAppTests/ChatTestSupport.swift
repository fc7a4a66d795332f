import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import Synchronization
import Testing

/// A user created directly in the store, with an access token minted for it (the auth routes
/// are not needed to test conversations).
struct TestUser {
    let id: Int64
    let token: String
    var idString: String { String(id) }
}

extension TestApp {
    func makeUser(_ name: String, admin: Bool = false) throws -> TestUser {
        let now = Clock.wallMilliseconds()
        let id = try server.context.store.writeNow { db throws(StoreError) in
            try db.queryFirst("""
                INSERT INTO users (username, display_name, password_hash, role, server_role, created_at)
                VALUES (?1, ?1, 'not-a-hash', ?2, ?2, ?3) RETURNING id
                """, [.text(name), .text(admin ? "admin" : "user"), .integer(now)]) { $0.int64(0) } ?? 0
        }
        let token = server.context.authenticator.codec.sign(AccessClaims(
            subject: id, issuedAt: now / 1000, expiresAt: now / 1000 + 900, tokenID: "t\(id)", family: "f\(id)"))
        return TestUser(id: id, token: token)
    }

    /// An upload row owned by `owner` (the upload routes are another service).
    func makeUpload(_ owner: TestUser, filename: String = "a.png") throws -> String {
        let id = try server.context.store.writeNow { db throws(StoreError) in
            try db.queryFirst("""
                INSERT INTO uploads (owner_id, sha256, size, content_type, filename, created_at)
                VALUES (?1, ?2, 3, 'image/png', ?3, 1700000000000) RETURNING id
                """, [.integer(owner.id), .text(String(repeating: "ab", count: 32)), .text(filename)]) { $0.int64(0) } ?? 0
        }
        return String(id)
    }

    func group(_ owner: TestUser, _ members: [TestUser], title: String = "Team") throws -> String {
        let ids = members.map { "\"\($0.id)\"" }.joined(separator: ",")
        let created = try call("POST", "/api/v1/conversations",
                               json: #"{"type":"group","title":"\#(title)","member_ids":[\#(ids)]}"#, token: owner.token)
        #expect(created.status == 201)
        return try #require(created.body["id"]?.stringValue)
    }

    func direct(_ caller: TestUser, _ other: TestUser) throws -> String {
        let created = try call("POST", "/api/v1/conversations",
                               json: #"{"type":"direct","member_ids":["\#(other.id)"]}"#, token: caller.token)
        #expect(created.status == 201 || created.status == 200)
        return try #require(created.body["id"]?.stringValue)
    }

    /// Sends `body` and returns the stored message.
    @discardableResult
    func send(_ sender: TestUser, _ conversation: String, _ body: String, clientID: String? = nil) throws -> JSONValue {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("body"); writer.string(body)
        if let clientID { writer.key("client_id"); writer.string(clientID) }
        writer.endObject()
        let sent = try call("POST", "/api/v1/conversations/\(conversation)/messages",
                            json: String(decoding: writer.bytes, as: UTF8.self), token: sender.token)
        #expect(sent.status == 201)
        return sent.body
    }

    /// Adds `user` to a group as `role`, by `by`.
    func add(_ user: TestUser, to conversation: String, as role: String = "member", by: TestUser) throws {
        let added = try call("POST", "/api/v1/conversations/\(conversation)/members",
                             json: #"{"user_id":"\#(user.id)","role":"\#(role)"}"#, token: by.token)
        #expect(added.status == 201)
    }
}

/// Collects published events, in publishing order.
final class EventRecorder: Sendable {
    private let events = Mutex<[ChatEvent]>([])

    init(_ app: TestApp) {
        app.server.context.events.subscribe { [self] event, _ in self.events.withLock { $0.append(event) } }
    }

    var all: [ChatEvent] { events.withLock { $0 } }
}

extension JSONValue {
    /// The ids of an array of objects.
    var ids: [String] { (arrayValue ?? []).compactMap { $0["id"]?.stringValue } }
}

extension JSONValue {
    /// The element at `index` of an array, or nil.
    subscript(index: Int) -> JSONValue? {
        guard let elements = arrayValue, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}

/// Tests call one app from several threads; its stored properties are immutable and its
/// requests each open their own connection.
extension TestApp: @unchecked Sendable {}
