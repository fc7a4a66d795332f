/// Writes an HTTP/1.1 response head into a byte array, appending only, so nothing is
/// allocated once the array has capacity.
///
/// Use `appendStart`, then `appendHeader` for each extra field, then `appendEnd`; or `write`
/// when there are no extra fields. Field values are sanitized, every byte a value may not
/// hold (CR, LF, NUL and other controls) becoming a space, so no caller-supplied text can
/// inject a header line or split the response.
package struct ResponseHead: Sendable, Equatable {
    package var status: Int
    /// Nil sends no Content-Length (the body is framed otherwise, or closes the
    /// connection); never sent for 1xx, 204 or 304.
    package var contentLength: Int?
    /// Sends `Connection: close`; the server closes after the response.
    package var closeConnection: Bool
    /// Sends `Connection: keep-alive`, which an HTTP/1.0 client needs to keep the connection
    /// open; ignored when closing.
    package var announceKeepAlive: Bool

    package init(status: Int, contentLength: Int? = 0, closeConnection: Bool = false, announceKeepAlive: Bool = false) {
        self.status = status
        self.contentLength = contentLength
        self.closeConnection = closeConnection
        self.announceKeepAlive = announceKeepAlive
    }

    /// Appends the whole head with no extra fields.
    package func write(to out: inout [UInt8], date: [UInt8]) {
        appendStart(to: &out, date: date)
        Self.appendEnd(to: &out)
    }

    /// Appends the status line, Date, Content-Length and Connection fields.
    package func appendStart(to out: inout [UInt8], date: [UInt8]) {
        let code = (100...999).contains(status) ? status : 500
        append("HTTP/1.1 ", to: &out)
        Self.appendDecimal(code, to: &out)
        out.append(ByteClass.space)
        append(HTTPStatus.reasonPhrase(code), to: &out)
        append("\r\nDate: ", to: &out)
        Self.appendSanitized(date, to: &out)
        append("\r\n", to: &out)
        if let length = contentLength, !HTTPStatus.forbidsContentLength(code) {
            Self.appendHeader("Content-Length", max(0, length), to: &out)
        }
        if closeConnection {
            Self.appendHeader("Connection", "close", to: &out)
        } else if announceKeepAlive {
            Self.appendHeader("Connection", "keep-alive", to: &out)
        }
    }

    /// Appends the empty line that ends the head.
    package static func appendEnd(to out: inout [UInt8]) {
        out.append(ByteClass.carriageReturn)
        out.append(ByteClass.lineFeed)
    }

    package static func appendHeader(_ name: StaticString, _ value: StaticString, to out: inout [UInt8]) {
        appendName(name, to: &out)
        value.withUTF8Buffer { appendSanitized($0, to: &out) }
        appendEnd(to: &out)
    }

    package static func appendHeader(_ name: StaticString, _ value: String, to out: inout [UInt8]) {
        appendName(name, to: &out)
        appendSanitized(value.utf8, to: &out)
        appendEnd(to: &out)
    }

    package static func appendHeader(_ name: StaticString, bytes value: some Sequence<UInt8>, to out: inout [UInt8]) {
        appendName(name, to: &out)
        appendSanitized(value, to: &out)
        appendEnd(to: &out)
    }

    package static func appendHeader(_ name: StaticString, _ value: Int, to out: inout [UInt8]) {
        appendName(name, to: &out)
        if value < 0 { out.append(0x2D) }
        appendDecimal(value.magnitude, to: &out)
        appendEnd(to: &out)
    }

    /// Appends a field whose name is only known at run time; a name that is not a valid
    /// token is refused (nothing is written) and false returned.
    @discardableResult
    package static func appendHeader(name: String, value: String, to out: inout [UInt8]) -> Bool {
        guard !name.utf8.isEmpty, name.utf8.allSatisfy(ByteClass.isToken) else { return false }
        out.append(contentsOf: name.utf8)
        out.append(ByteClass.colon)
        out.append(ByteClass.space)
        appendSanitized(value.utf8, to: &out)
        appendEnd(to: &out)
        return true
    }

    /// Names given as static text are the program's own, so they are trusted as tokens.
    private static func appendName(_ name: StaticString, to out: inout [UInt8]) {
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(ByteClass.colon)
        out.append(ByteClass.space)
    }

    /// Clean contiguous values, the usual case, are appended in one copy.
    private static func appendSanitized(_ value: some Sequence<UInt8>, to out: inout [UInt8]) {
        let copied: Bool? = value.withContiguousStorageIfAvailable { bytes in
            guard bytes.allSatisfy(ByteClass.isFieldValue) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        guard copied != true else { return }
        for byte in value {
            out.append(ByteClass.isFieldValue(byte) ? byte : ByteClass.space)
        }
    }

    private static func appendDecimal<Value: BinaryInteger>(_ value: Value, to out: inout [UInt8]) {
        var divisor: Value = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(ByteClass.zero &+ UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }

    private func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
