/// Takes HTTP responses off the front of a byte buffer, as a client reads them: the head,
/// then a body framed by Content-Length (none when the status or a HEAD request forbids one,
/// else everything up to the end of the stream).
package enum ResponseFraming {
    /// One complete response removed from `buffer`, or nil while it is incomplete. `ended`
    /// says the stream is over, which completes a body without Content-Length.
    package static func take(from buffer: inout [UInt8], headRequest: Bool, ended: Bool) -> TestResponse? {
        guard let headEnd = end(of: [13, 10, 13, 10], in: buffer) else { return nil }
        var response = TestResponse(head: String(decoding: buffer[0..<headEnd], as: UTF8.self))
        let length = headRequest || [204, 304].contains(response.status) || response.status < 200
            ? 0 : Int(response.header("content-length") ?? "") ?? -1
        if length >= 0 {
            guard buffer.count - headEnd >= length else { return nil }
            response.body = Array(buffer[headEnd..<(headEnd + length)])
            buffer.removeFirst(headEnd + length)
        } else {
            guard ended else { return nil }
            response.body = Array(buffer[headEnd...])
            buffer = []
        }
        return response
    }

    /// The index just past the first occurrence of `pattern` in `bytes`. A plain scan: the
    /// generic `firstRange(of:)` costs more than the rest of a response read in debug builds.
    package static func end(of pattern: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var index = start
        while index + pattern.count <= bytes.count {
            var offset = 0
            while offset < pattern.count && bytes[index + offset] == pattern[offset] { offset += 1 }
            if offset == pattern.count { return index + offset }
            index += 1
        }
        return nil
    }
}
