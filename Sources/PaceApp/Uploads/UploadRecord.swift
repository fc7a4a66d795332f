import PaceJSON
import PaceStore

/// One row of `uploads`, and the API's Upload object. Conversations render attachments and
/// users render avatars with it too.
package struct UploadRecord: Sendable, Equatable {
    package var id: Int64
    package var ownerID: Int64
    /// Lowercase hex SHA-256 of the content: the content file's name and the ETag.
    package var sha256: String
    package var size: Int64
    package var contentType: String
    package var filename: String
    package var createdAt: Int64

    /// The columns `init(row:)` reads, in order.
    package static let columns = "id, owner_id, sha256, size, content_type, filename, created_at"

    package init(row: any StoreRow) {
        id = row.int64(0)
        ownerID = row.int64(1)
        sha256 = row.string(2)
        size = row.int64(3)
        contentType = row.string(4)
        filename = row.string(5)
        createdAt = row.int64(6)
    }

    package init(id: Int64, ownerID: Int64, sha256: String, size: Int64, contentType: String,
                 filename: String, createdAt: Int64) {
        self.id = id
        self.ownerID = ownerID
        self.sha256 = sha256
        self.size = size
        self.contentType = contentType
        self.filename = filename
        self.createdAt = createdAt
    }

    /// Where the bytes are downloaded (also a user's `avatar_url`).
    package static func url(id: Int64) -> String { "/api/v1/uploads/\(id)" }

    /// `{id, filename, content_type, size, sha256, url, created_at}`.
    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(id))
        writer.key("filename"); writer.string(filename)
        writer.key("content_type"); writer.string(contentType)
        writer.key("size"); writer.int(size)
        writer.key("sha256"); writer.string(sha256)
        writer.key("url"); writer.string(Self.url(id: id))
        writer.key("created_at"); writer.timestamp(milliseconds: createdAt)
        writer.endObject()
    }
}
