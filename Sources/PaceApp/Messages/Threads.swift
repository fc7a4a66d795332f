import PaceJSON
import PaceStore

/// Threads on the writer and in reads: recording replies, keeping each root's summary, who
/// follows it, and filling in `thread_root_id` and `thread` on messages.
package enum Threads {
    /// Why `rootID` cannot take replies in `conversationID`, or nil: it must be a message of that
    /// conversation and not itself a reply (threads are one level deep).
    static func rootProblem(_ db: any StoreTransaction, rootID: Int64,
                            conversationID: Int64) throws(StoreError) -> FieldProblem? {
        guard try MessageQueries.find(db, id: rootID, conversationID: conversationID) != nil else {
            return FieldProblem(field: "thread_root", problem: "must be a message of this conversation")
        }
        if try isReply(db, rootID) {
            return FieldProblem(field: "thread_root", problem: "is a thread reply; reply to its root instead")
        }
        return nil
    }

    static func isReply(_ db: any StoreTransaction, _ messageID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT 1 FROM thread_replies WHERE message_id = ?1", [.integer(messageID)], { _ in true }) ?? false
    }

    static func recordReply(_ db: any StoreTransaction, messageID: Int64, rootID: Int64, senderID: Int64,
                            now: Int64) throws(StoreError) {
        try db.run("INSERT INTO thread_replies (message_id, root_id) VALUES (?1, ?2)", [.integer(messageID), .integer(rootID)])
        try db.run("""
            INSERT INTO threads (root_id, reply_count, last_reply_at) VALUES (?1, 1, ?2)
            ON CONFLICT (root_id) DO UPDATE SET reply_count = threads.reply_count + 1, last_reply_at = excluded.last_reply_at
            """, [.integer(rootID), .integer(now)])
        try db.run("""
            INSERT INTO thread_members (root_id, user_id, participant, following)
            SELECT ?1, sender_id, 0, 1 FROM messages WHERE id = ?1
            ON CONFLICT (root_id, user_id) DO NOTHING
            """, [.integer(rootID)])
        try db.run("""
            INSERT INTO thread_members (root_id, user_id, participant, following) VALUES (?1, ?2, 1, 1)
            ON CONFLICT (root_id, user_id) DO UPDATE SET participant = 1
            """, [.integer(rootID), .integer(senderID)])
    }

    /// A deleted reply no longer counts.
    static func replyDeleted(_ db: any StoreTransaction, messageID: Int64) throws(StoreError) {
        try db.run("""
            UPDATE threads SET reply_count = reply_count - 1
            WHERE root_id = (SELECT root_id FROM thread_replies WHERE message_id = ?1)
            """, [.integer(messageID)])
    }

    /// Follows or unfollows the thread of `rootID` for `userID`.
    static func follow(_ db: any StoreTransaction, rootID: Int64, userID: Int64, _ following: Bool) throws(StoreError) {
        try db.run("""
            INSERT INTO thread_members (root_id, user_id, participant, following) VALUES (?1, ?2, 0, ?3)
            ON CONFLICT (root_id, user_id) DO UPDATE SET following = excluded.following
            """, [.integer(rootID), .integer(userID), .integer(following ? 1 : 0)])
    }

    static func following(_ db: any StoreTransaction, rootID: Int64, userID: Int64) throws(StoreError) -> Bool {
        try db.queryFirst("SELECT following FROM thread_members WHERE root_id = ?1 AND user_id = ?2",
                          [.integer(rootID), .integer(userID)], { $0.bool(0) }) ?? false
    }

    /// Fills in `threadRootID`, `thread` and `pinned` for the messages whose ids are `ids`.
    static func hydrate(_ db: any StoreTransaction, _ messages: inout [MessageRecord], index: [Int64: Int],
                        ids: SQLValue) throws(StoreError) {
        let roots = try db.query("SELECT message_id, root_id FROM thread_replies WHERE message_id IN (SELECT value FROM json_each(?1))",
                                 [ids]) { ($0.int64(0), $0.int64(1)) }
        for (messageID, rootID) in roots {
            if let position = index[messageID] { messages[position].threadRootID = rootID }
        }
        let pinned = try db.query("SELECT message_id FROM pins WHERE message_id IN (SELECT value FROM json_each(?1))",
                                  [ids]) { $0.int64(0) }
        for messageID in pinned {
            if let position = index[messageID] { messages[position].pinned = true }
        }
        let summaries = try db.query("""
            SELECT root_id, reply_count, last_reply_at FROM threads WHERE root_id IN (SELECT value FROM json_each(?1))
            """, [ids]) { ($0.int64(0), ThreadSummary(replyCount: $0.int(1), lastReplyAt: $0.int64(2))) }
        guard !summaries.isEmpty else { return }
        for (rootID, summary) in summaries {
            if let position = index[rootID] { messages[position].thread = summary }
        }
        let participants = try db.query("""
            SELECT root_id, user_id FROM thread_members
            WHERE participant = 1 AND root_id IN (SELECT value FROM json_each(?1)) ORDER BY root_id, user_id
            """, [ids]) { ($0.int64(0), $0.int64(1)) }
        for (rootID, userID) in participants {
            if let position = index[rootID] { messages[position].thread?.participants.append(userID) }
        }
    }
}
