/// One part of a multipart/form-data body.
package struct FormPart {
    package var name: String
    package var filename: String?
    package var contentType: String?
    package var bytes: [UInt8]

    package init(name: String, filename: String? = nil, contentType: String? = nil, bytes: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}

/// A multipart/form-data body with `boundary`.
package func multipartBody(_ boundary: String, _ parts: [FormPart]) -> [UInt8] {
    var body: [UInt8] = []
    for part in parts {
        var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
        if let filename = part.filename { head += "; filename=\"\(filename)\"" }
        if let type = part.contentType { head += "\r\nContent-Type: \(type)" }
        body += Array((head + "\r\n\r\n").utf8) + part.bytes + Array("\r\n".utf8)
    }
    return body + Array("--\(boundary)--\r\n".utf8)
}

/// Bytes that are not all alike, so offsets matter.
package func patterned(_ count: Int, seed: UInt32 = 7) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_103_515_245 &+ 12_345
        return UInt8(truncatingIfNeeded: state >> 16)
    }
}
