import PaceCrypto
import PaceStore

/// A bot's long-lived token as its owner sees it (the text only once, at creation).
package struct BotTokenRecord: Sendable {
    package var id: Int64
    package var createdAt: Int64
    package var revokedAt: Int64?
}

/// A bot with its tokens.
package struct BotRecord: Sendable {
    package var user: UserRecord
    package var tokens: [BotTokenRecord]
}

/// The SQL of bot accounts, their tokens and incoming webhooks; the same text runs on SQLite
/// and PostgreSQL. Tokens and hook URLs are 32 random bytes, stored only as SHA-256 hex.
package enum BotQueries {
    /// A new secret and the hash that is stored for it.
    package static func newSecret(prefix: String) -> (text: String, hash: String) {
        let text = prefix + Hex.encode(SecureRandom.bytes(32))
        return (text, hash(text))
    }

    package static func hash(_ text: String) -> String {
        Hex.encode(Digest.sha256(Array(text.utf8)))
    }

    /// Creates the bot's user row, its ownership and a first token; 409 when the name is taken.
    static func create(_ db: any StoreTransaction, username: String, displayName: String, ownerID: Int64,
                       tokenHash: String, now: Int64) throws(StoreError) -> Result<(BotRecord, Int64), APIError> {
        let taken = try db.queryFirst("SELECT id FROM users WHERE username = ?1", [.text(username)]) { $0.int64(0) }
        guard taken == nil else { return .failure(.conflict("username_taken", "The username is taken.")) }
        let id = try db.queryFirst("""
            INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?1, ?2, '!', ?3) RETURNING id
            """, [.text(username), .text(displayName), .integer(now)]) { $0.int64(0) } ?? 0
        try db.run("INSERT INTO bots (user_id, owner_id, created_at) VALUES (?1, ?2, ?3)",
                   [.integer(id), .integer(ownerID), .integer(now)])
        let tokenID = try addToken(db, botID: id, hash: tokenHash, now: now)
        guard let user = try UserQueries.find(id: id, in: db) else { throw StoreError.misuse(message: "bot \(id) is missing") }
        return .success((BotRecord(user: user, tokens: [BotTokenRecord(id: tokenID, createdAt: now)]), tokenID))
    }

    static func addToken(_ db: any StoreTransaction, botID: Int64, hash: String, now: Int64) throws(StoreError) -> Int64 {
        try db.queryFirst("INSERT INTO bot_tokens (bot_id, token_hash, created_at) VALUES (?1, ?2, ?3) RETURNING id",
                          [.integer(botID), .text(hash), .integer(now)]) { $0.int64(0) } ?? 0
    }

    /// Whether `ownerID` owns bot `botID`.
    static func owns(_ db: any StoreTransaction, ownerID: Int64, botID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT user_id FROM bots WHERE user_id = ?1 AND owner_id = ?2",
                          [.integer(botID), .integer(ownerID)]) { $0.int64(0) } != nil
    }

    static func list(_ db: any StoreTransaction, ownerID: Int64) throws(StoreError) -> [BotRecord] {
        let users = try db.query("""
            SELECT \(UserRecord.columns) FROM users WHERE id IN (SELECT user_id FROM bots WHERE owner_id = ?1) ORDER BY id
            """, [.integer(ownerID)]) { UserRecord(row: $0) }
        var bots: [BotRecord] = []
        for user in users {
            let tokens = try db.query("SELECT id, created_at, revoked_at FROM bot_tokens WHERE bot_id = ?1 ORDER BY id",
                                      [.integer(user.id)]) { row in
                BotTokenRecord(id: row.int64(0), createdAt: row.int64(1), revokedAt: row.optionalInt64(2))
            }
            bots.append(BotRecord(user: user, tokens: tokens))
        }
        return bots
    }

    /// Revokes a token of bot `botID`; false when there is no such token.
    static func revoke(_ db: any StoreTransaction, botID: Int64, tokenID: Int64, now: Int64) throws(StoreError) -> Bool {
        let found = try db.queryFirst("SELECT id FROM bot_tokens WHERE id = ?1 AND bot_id = ?2",
                                      [.integer(tokenID), .integer(botID)]) { $0.int64(0) }
        guard found != nil else { return false }
        try db.run("UPDATE bot_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                   [.integer(tokenID), .integer(now)])
        return true
    }

    /// The bot and token id of a live token.
    static func signIn(_ db: any StoreTransaction, tokenHash: String) throws(StoreError) -> (botID: Int64, tokenID: Int64)? {
        try db.queryFirst("SELECT bot_id, id FROM bot_tokens WHERE token_hash = ?1 AND revoked_at IS NULL",
                          [.text(tokenHash)]) { ($0.int64(0), $0.int64(1)) }
    }

    static func addIncomingWebhook(_ db: any StoreTransaction, botID: Int64, conversationID: Int64, hash: String,
                                   now: Int64) throws(StoreError) -> Int64 {
        try db.queryFirst("""
            INSERT INTO incoming_webhooks (bot_id, conversation_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id
            """, [.integer(botID), .integer(conversationID), .text(hash), .integer(now)]) { $0.int64(0) } ?? 0
    }

    /// The bot and conversation an incoming-webhook token posts as and into.
    static func incomingWebhook(_ db: any StoreTransaction, tokenHash: String) throws(StoreError)
        -> (botID: Int64, conversationID: Int64)? {
        try db.queryFirst("SELECT bot_id, conversation_id FROM incoming_webhooks WHERE token_hash = ?1",
                          [.text(tokenHash)]) { ($0.int64(0), $0.int64(1)) }
    }

    static func isMember(_ db: any StoreTransaction, userID: Int64, conversationID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT user_id FROM members WHERE conversation_id = ?1 AND user_id = ?2",
                          [.integer(conversationID), .integer(userID)]) { $0.int64(0) } != nil
    }
}
