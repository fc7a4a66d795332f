/// The forms of request-target Pace accepts (RFC 9112 section 3.2) and where their path and
/// query are.
///
/// Origin-form (`/path?query`) is what clients send to a server; absolute-form
/// (`http://host/path`) must be accepted too; `*` is only meaningful for OPTIONS. Authority
/// form is CONNECT's, which Pace does not implement. An absolute-form target must have a
/// path starting with `/`, so the path is never empty.
struct RequestTarget: Equatable {
    var path: Range<Int>
    var query: Range<Int>?

    /// Splits the already byte-checked `target` into path and query, or says why its form
    /// is not acceptable.
    static func validate(
        _ buffer: UnsafeRawBufferPointer, target: Range<Int>, queryMark: Int?, method: HTTPMethod?
    ) throws(HTTPParseError) -> RequestTarget {
        let first = buffer[target.lowerBound]
        if first == ByteClass.slash {
            return split(pathStart: target.lowerBound, target: target, queryMark: queryMark)
        }
        if first == ByteClass.asterisk, target.count == 1 {
            guard method == .options else { throw .invalidTarget }
            return RequestTarget(path: target, query: nil)
        }
        let pathStart = try absoluteFormPathStart(buffer, target)
        return split(pathStart: pathStart, target: target, queryMark: queryMark)
    }

    private static func split(pathStart: Int, target: Range<Int>, queryMark: Int?) -> RequestTarget {
        guard let mark = queryMark else {
            return RequestTarget(path: pathStart..<target.upperBound, query: nil)
        }
        return RequestTarget(path: pathStart..<mark, query: (mark &+ 1)..<target.upperBound)
    }

    /// The offset of the `/` that starts the path of `http://authority/...`.
    private static func absoluteFormPathStart(
        _ buffer: UnsafeRawBufferPointer, _ target: Range<Int>
    ) throws(HTTPParseError) -> Int {
        let authorityStart: Int
        if hasPrefix(buffer, target, "http://") {
            authorityStart = target.lowerBound &+ 7
        } else if hasPrefix(buffer, target, "https://") {
            authorityStart = target.lowerBound &+ 8
        } else {
            throw .invalidTarget
        }
        var index = authorityStart
        while index < target.upperBound, buffer[index] != ByteClass.slash, buffer[index] != ByteClass.question {
            index &+= 1
        }
        guard index < target.upperBound, buffer[index] == ByteClass.slash,
              HostSyntax.isValid(buffer, authorityStart..<index, allowEmpty: false)
        else { throw .invalidTarget }
        return index
    }

    private static func hasPrefix(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, _ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard range.count > length else { return false }
        return HeaderLookup.equalsIgnoringCase(buffer, range.lowerBound..<(range.lowerBound &+ length), prefix)
    }
}
