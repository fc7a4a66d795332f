import PaceJSON

/// The API's Upload object; its `url` is where the bytes are served.
package enum UploadEncoder {
    package static func write(_ upload: UploadRecord, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.string(String(upload.id))
        writer.key("filename"); writer.string(upload.filename)
        writer.key("content_type"); writer.string(upload.contentType)
        writer.key("size"); writer.int(upload.size)
        writer.key("sha256"); writer.string(upload.sha256)
        writer.key("url"); writer.string("/api/v1/uploads/\(upload.id)")
        writer.key("created_at"); writer.timestamp(milliseconds: upload.createdAt)
        writer.endObject()
    }
}
