import PaceJSON
import PaceStore

/// One channel as discovery lists it.
package struct ChannelListing: Sendable {
    package var id: Int64
    package var name: String
    package var topic: String
    package var purpose: String
    package var createdAt: Int64
    package var memberCount: Int
    package var joined: Bool
    /// The listing's uniqueness key: the cursor after it.
    package var key: String
}

/// Discovery of public channels: archived ones are hidden. Pages walk the UNIQUE `name_key`
/// index in order; the cursor is the last key of the previous page.
package enum ChannelQueries {
    package static let defaultLimit = 50
    package static let maximumLimit = 200

    /// Channels whose name (or topic) contains `query`, ignoring ASCII case, after `cursor`.
    package static func discover(_ db: any StoreTransaction, userID: Int64, query: String, cursor: String,
                                 limit: Int) throws(StoreError) -> (channels: [ChannelListing], nextCursor: String?) {
        let rows = try db.query("""
            SELECT ch.conversation_id, ch.name, ch.topic, ch.purpose, c.created_at,
                   (SELECT count(*) FROM members x WHERE x.conversation_id = ch.conversation_id),
                   (SELECT count(*) FROM members y WHERE y.conversation_id = ch.conversation_id AND y.user_id = ?1),
                   ch.name_key
            FROM channels ch JOIN conversations c ON c.id = ch.conversation_id
            WHERE ch.archived = 0 AND ch.name_key > ?2
              AND (ch.name_key LIKE ?3 ESCAPE '\\' OR lower(ch.topic) LIKE ?3 ESCAPE '\\')
            ORDER BY ch.name_key LIMIT ?4
            """, [.integer(userID), .text(cursor), .text(pattern(query)), .integer(Int64(limit + 1))]) { row in
            ChannelListing(id: row.int64(0), name: row.string(1), topic: row.string(2), purpose: row.string(3),
                           createdAt: row.int64(4), memberCount: row.int(5), joined: row.int(6) > 0, key: row.string(7))
        }
        let page = Array(rows.prefix(limit))
        return (page, rows.count > limit ? page.last?.key : nil)
    }

    /// `%query%` with LIKE's own characters escaped, ASCII-lower-cased like the keys.
    static func pattern(_ query: String) -> String {
        var escaped = ""
        for character in ChannelName.key(query) {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    package static func write(_ listing: ChannelListing, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(listing.id))
        writer.key("type"); writer.string("channel")
        writer.key("name"); writer.string(listing.name)
        writer.key("topic"); writer.string(listing.topic)
        writer.key("purpose"); writer.string(listing.purpose)
        writer.key("created_at"); writer.timestamp(milliseconds: listing.createdAt)
        writer.key("member_count"); writer.int(listing.memberCount)
        writer.key("joined"); writer.bool(listing.joined)
        writer.endObject()
    }
}
