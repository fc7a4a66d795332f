/// A strict, resumable HTTP/1.1 request head parser (RFC 9112) that never allocates.
///
/// Call `parse` with the bytes received so far, starting at the request's first byte; on
/// `.needMore`, call again with the same bytes and more appended, and scanning resumes where
/// it stopped. Header fields are appended to the caller's array, which is emptied (keeping
/// its capacity) when the request line completes, so with capacity for `maxHeaderCount`
/// fields parsing makes no heap allocation at all. After `.complete` the parser is ready
/// for the next request; after `.failure` it keeps answering that failure until `reset()`.
/// Limits are checked at the byte where they are crossed, so the result never depends on
/// how the bytes were split into reads.
package struct RequestHeadParser: Sendable {
    private enum Phase: UInt8, Sendable {
        case requestLine, fields, failed
    }

    package let limits: HTTPLimits
    private var phase = Phase.requestLine
    private var lineScanner: RequestLineScanner
    private var fieldScanner: FieldLineScanner
    private var semantics = HeaderSemantics()
    private var headerCount = 0
    private var line = RequestLineScanner.Line(method: nil, target: 0..<0, queryMark: nil, major: 0, minor: 0, end: 0)
    private var method = HTTPMethod.get
    private var target = RequestTarget(path: 0..<0, query: nil)
    private var failure = HTTPParseError.invalidMethod

    package init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        lineScanner = RequestLineScanner(maxLength: limits.maxRequestLine)
        fieldScanner = FieldLineScanner(start: 0, maxBytes: limits.maxHeaderBytes, overflow: .headersTooLarge)
    }

    /// Forgets any partial request, to parse a new one from its first byte.
    package mutating func reset() {
        self = RequestHeadParser(limits: limits)
    }

    /// Parses on from where the previous call stopped; `buffer` starts at the request.
    package mutating func parse(
        _ buffer: UnsafeRawBufferPointer, into headers: inout [HTTPHeaderField]
    ) -> HeadParseResult {
        let result = step(buffer, &headers)
        switch result {
        case .complete: reset()
        case .failure(let error):
            phase = .failed
            failure = error
        case .needMore: break
        }
        return result
    }

    private mutating func step(
        _ buffer: UnsafeRawBufferPointer, _ headers: inout [HTTPHeaderField]
    ) -> HeadParseResult {
        switch phase {
        case .failed:
            return .failure(failure)
        case .requestLine:
            switch lineScanner.next(buffer) {
            case .needMore: return .needMore
            case .failure(let error): return .failure(error)
            case .complete(let line):
                do throws(HTTPParseError) {
                    try startFields(line, buffer)
                } catch {
                    return .failure(error)
                }
                headers.removeAll(keepingCapacity: true)
                return scanFields(buffer, &headers)
            }
        case .fields:
            return scanFields(buffer, &headers)
        }
    }

    /// Judges the complete request line: its form before its version before its method, so
    /// a garbled line is 400 rather than 505 or 501.
    private mutating func startFields(_ line: RequestLineScanner.Line, _ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) {
        target = try RequestTarget.validate(buffer, target: line.target, queryMark: line.queryMark, method: line.method)
        guard line.major == 1, line.minor <= 1 else { throw .versionNotSupported }
        guard let method = line.method else { throw .methodNotImplemented }
        self.line = line
        self.method = method
        fieldScanner = FieldLineScanner(start: line.end, maxBytes: limits.maxHeaderBytes, overflow: .headersTooLarge)
        phase = .fields
    }

    private mutating func scanFields(
        _ buffer: UnsafeRawBufferPointer, _ headers: inout [HTTPHeaderField]
    ) -> HeadParseResult {
        while true {
            switch fieldScanner.next(buffer) {
            case .field(let field):
                guard headerCount < limits.maxHeaderCount else { return .failure(.tooManyHeaders) }
                do throws(HTTPParseError) {
                    try semantics.add(field, buffer)
                } catch {
                    return .failure(error)
                }
                headers.append(field)
                headerCount &+= 1
            case .end(let end):
                do throws(HTTPParseError) {
                    try semantics.check(minorVersion: line.minor)
                } catch {
                    return .failure(error)
                }
                return .complete(head(end))
            case .needMore:
                return .needMore
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    private func head(_ end: Int) -> RequestHead {
        RequestHead(
            method: method, target: line.target, path: target.path, query: target.query,
            minorVersion: line.minor, host: semantics.host,
            contentLength: semantics.isChunked ? nil : semantics.contentLength,
            isChunked: semantics.isChunked,
            keepAlive: semantics.keepAlive(minorVersion: line.minor),
            expectContinue: semantics.expectsContinue(minorVersion: line.minor),
            connectionUpgrade: semantics.connectionUpgrade,
            headerCount: headerCount, byteCount: end)
    }
}
