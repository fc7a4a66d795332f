import PaceJSON
import PaceServer
import PaceStore

/// Server-wide mutes: a moderator stops a user from posting anywhere until a time. Sending a
/// message (REST or WebSocket) is then refused with 403 `server_muted` and `Retry-After`;
/// reading, reacting and everything else still works. Admins cannot be muted, and only an
/// admin mutes a moderator. Every mute, unmute and refused attempt is audited.
enum ServerMutes {
    /// A mute lasts 1 minute to 1 year.
    static let durationSeconds: ClosedRange<Int64> = 60...31_536_000

    struct Mute: Sendable {
        let userID: Int64
        let username: String
        let until: Int64

        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("user_id"); writer.string(String(userID))
            writer.key("username"); writer.string(username)
            writer.key("muted_until"); writer.timestamp(milliseconds: until)
            writer.endObject()
        }
    }

    /// The refusal for a muted sender, or nil: one primary-key read inside the send's transaction.
    static func refusal(_ db: any StoreTransaction, userID: Int64, now: Int64) throws(StoreError) -> APIError? {
        guard let until = try db.queryFirst("SELECT muted_until FROM users WHERE id = ?1", [.integer(userID)], {
            $0.optionalInt64(0)
        }) ?? nil, until > now else { return nil }
        return APIError(403, "server_muted", "A moderator muted you on this server for a while.",
                        headers: [HTTPHeader("Retry-After", String(max(1, (until - now + 999) / 1000)))])
    }

    /// Mutes `target` until `caller.now + seconds`; nil `seconds` lifts the mute.
    static func set(_ target: Int64, seconds: Int64?, by caller: AdminCaller,
                    in db: any StoreTransaction) throws(StoreError) -> Result<Mute?, APIError> {
        let action = seconds == nil ? "user.unmute" : "user.mute"
        guard let callerStanding = try ServerStanding.of(caller.id, in: db), !callerStanding.deactivated,
              callerStanding.role >= .moderator else {
            return try deny(action, target, caller, .moderatorRequired, db)
        }
        guard let standing = try ServerStanding.of(target, in: db) else { return .failure(.notFound) }
        if standing.role == .admin { return try deny(action, target, caller, .targetIsStaff, db) }
        if standing.role == .moderator, callerStanding.role != .admin { return try deny(action, target, caller, .adminRequired, db) }
        let until = seconds.map { caller.now + $0 * 1000 }
        try db.run("UPDATE users SET muted_until = ?1 WHERE id = ?2", [until.map { .integer($0) } ?? .null, .integer(target)])
        try caller.record(caller.entry(action, target: target, allowed: true, detail: seconds.map { "\($0) s" } ?? ""), in: db)
        guard let until else { return .success(nil) }
        let username = try db.queryFirst("SELECT username FROM users WHERE id = ?1", [.integer(target)]) { $0.string(0) } ?? ""
        return .success(Mute(userID: target, username: username, until: until))
    }

    /// The users muted now, soonest lifted first (moderators and admins only).
    static func list(by caller: AdminCaller, in db: any StoreTransaction) throws(StoreError) -> Result<[Mute], APIError> {
        guard try ServerStanding.has(.moderator, caller.id, in: db) else {
            return try deny("mutes.read", nil, caller, .moderatorRequired, db)
        }
        return .success(try db.query("""
            SELECT id, username, muted_until FROM users WHERE muted_until > ?1 ORDER BY muted_until, id LIMIT 1000
            """, [.integer(caller.now)]) { Mute(userID: $0.int64(0), username: $0.string(1), until: $0.int64(2)) })
    }

    private static func deny<T>(_ action: String, _ target: Int64?, _ caller: AdminCaller, _ error: APIError,
                                _ db: any StoreTransaction) throws(StoreError) -> Result<T, APIError> {
        try caller.record(caller.entry(action, target: target, allowed: false, detail: error.code), in: db)
        return .failure(error)
    }
}

extension APIError {
    static let targetIsStaff = APIError(409, "target_is_admin", "Admins cannot be muted; demote them first.")
}
