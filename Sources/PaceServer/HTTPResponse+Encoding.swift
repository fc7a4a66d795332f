import PaceHTTP

extension HTTPResponse {
    /// Appends the status line, headers and (unless `withBody` is false, for HEAD) the body
    /// as they go on the wire; a streamed body follows separately.
    /// `fixedHeaders` are encoded header lines sent on every response of the listener.
    func encode(into out: inout [UInt8], date: [UInt8], keepAlive: Bool, requestID: UInt64,
                minorVersion: UInt8, withBody: Bool, fixedHeaders: [UInt8] = []) {
        let head = ResponseHead(status: status, contentLength: body.count,
                                closeConnection: !keepAlive, announceKeepAlive: minorVersion == 0)
        head.appendStart(to: &out, date: date)
        if let contentType {
            ResponseHead.appendHeader("Content-Type", contentType, to: &out)
        }
        for header in headers {
            ResponseHead.appendHeader(name: header.name, value: header.value, to: &out)
        }
        out.append(contentsOf: fixedHeaders)
        out.append(contentsOf: "X-Request-Id: ".utf8)
        RequestID.appendHex(requestID, to: &out)
        ResponseHead.appendEnd(to: &out)
        ResponseHead.appendEnd(to: &out)
        guard withBody else { return }
        switch body {
        case .empty: break
        case .bytes(let bytes): out.append(contentsOf: bytes)
        case .text(let text): text.withUTF8Buffer { out.append(contentsOf: $0) }
        case .stream: break
        }
    }
}
