/// A strict RFC 8259 parser over one complete document.
///
/// Request bodies and WebSocket frames reach the application whole (their framing layers enforce
/// the size limit), so this parser is not resumable. It is iterative: open containers live on an
/// explicit stack bounded by `maxDepth`, so hostile nesting costs a little heap, never machine
/// stack. Object keys are compared as Swift strings, so canonically equivalent keys count as
/// duplicates, which is the stricter reading.
package struct JSONParser {
    package static let defaultMaxDepth = 64

    /// An open array or object: where its elements (and keys) begin on the shared stacks.
    struct Frame {
        let isObject: Bool
        let valueStart: Int
        let keyStart: Int
        /// Built once an object grows large, so duplicate detection stays linear overall.
        var keySet: Set<String>?
    }

    /// Objects up to this many keys are checked for duplicates by a scan, which beats hashing.
    static let linearKeyLimit = 16

    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    let maxDepth: Int
    var index = 0
    var frames: [Frame] = []
    var values: [JSONValue] = []
    var keys: [String] = []
    /// Reused by every string containing escapes, so decoding them allocates once per document.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.end = bytes.count
        self.maxDepth = maxDepth
    }

    /// Parses `bytes` as exactly one JSON value with optional whitespace around it.
    package static func parse(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth
    ) throws(JSONError) -> JSONValue {
        let result = bytes.withMemoryRebound(to: UInt8.self) { buffer in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
            return Result { () throws(JSONError) in try parser.parseDocument() }
        }
        return try result.get()
    }

    package static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth
    ) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    package static func parse(
        _ text: String, maxDepth: Int = defaultMaxDepth
    ) throws(JSONError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth) }
        }
        return try result.get()
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        while true {
            guard var value = try parseValueOrOpen() else { continue }
            while let frame = frames.last {
                values.append(value)
                skipWhitespace()
                guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
                let byte = bytes[index]
                if byte == ASCII.comma {
                    index += 1
                    if frame.isObject { try parseKey() }
                    break
                }
                guard byte == (frame.isObject ? ASCII.closeBrace : ASCII.closeBracket) else {
                    throw JSONError(.unexpectedCharacter, at: index)
                }
                index += 1
                value = closeContainer()
            }
            if frames.isEmpty {
                skipWhitespace()
                guard index == end else { throw JSONError(.trailingData, at: index) }
                return value
            }
        }
    }

    /// Reads a scalar or an empty container, or opens a container and returns nil so the caller
    /// goes on to read its first element.
    mutating func parseValueOrOpen() throws(JSONError) -> JSONValue? {
        skipWhitespace()
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case ASCII.openBracket:
            try open(isObject: false)
            skipWhitespace()
            guard index < end, bytes[index] == ASCII.closeBracket else { return nil }
            index += 1
            frames.removeLast()
            return .array([])
        case ASCII.openBrace:
            try open(isObject: true)
            skipWhitespace()
            guard index < end, bytes[index] == ASCII.closeBrace else {
                try parseKey()
                return nil
            }
            index += 1
            frames.removeLast()
            return .object([])
        default:
            return try parseScalar()
        }
    }

    mutating func open(isObject: Bool) throws(JSONError) {
        guard frames.count < maxDepth else { throw JSONError(.tooDeep, at: index) }
        if frames.capacity == 0 { reserveStacks() }
        frames.append(Frame(isObject: isObject, valueStart: values.count, keyStart: keys.count))
        index += 1
    }

    /// Sized for a typical request object, so the stacks are not regrown member by member.
    mutating func reserveStacks() {
        frames.reserveCapacity(8)
        values.reserveCapacity(16)
        keys.reserveCapacity(16)
    }

    /// Pops the innermost container and builds its value from the shared stacks.
    mutating func closeContainer() -> JSONValue {
        let frame = frames.removeLast()
        defer { values.removeSubrange(frame.valueStart...) }
        guard frame.isObject else { return .array(Array(values[frame.valueStart...])) }
        defer { keys.removeSubrange(frame.keyStart...) }
        var members: [JSONMember] = []
        members.reserveCapacity(values.count - frame.valueStart)
        for (key, value) in zip(keys[frame.keyStart...], values[frame.valueStart...]) {
            members.append(JSONMember(key: key, value: value))
        }
        return .object(members)
    }

    /// Reads `"key" :` inside the innermost object, rejecting a key it already has.
    mutating func parseKey() throws(JSONError) {
        skipWhitespace()
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        guard bytes[index] == ASCII.quote else { throw JSONError(.unexpectedCharacter, at: index) }
        let keyOffset = index
        let key = try parseString()
        guard isNewKey(key) else { throw JSONError(.duplicateKey, at: keyOffset) }
        keys.append(key)
        skipWhitespace()
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        guard bytes[index] == ASCII.colon else { throw JSONError(.unexpectedCharacter, at: index) }
        index += 1
    }

    mutating func isNewKey(_ key: String) -> Bool {
        let last = frames.count - 1
        let start = frames[last].keyStart
        if keys.count - start < Self.linearKeyLimit {
            return !keys[start...].contains(key)
        }
        if frames[last].keySet == nil {
            frames[last].keySet = Set(keys[start...])
        }
        return frames[last].keySet?.insert(key).inserted ?? false
    }

    mutating func parseScalar() throws(JSONError) -> JSONValue {
        switch bytes[index] {
        case ASCII.quote: return .string(try parseString())
        case ASCII.lowerT: try expectWord("true"); return .bool(true)
        case ASCII.lowerF: try expectWord("false"); return .bool(false)
        case ASCII.lowerN: try expectWord("null"); return .null
        case ASCII.minus, ASCII.zero...ASCII.nine: return .number(try parseNumber())
        default: throw JSONError(.unexpectedCharacter, at: index)
        }
    }

    mutating func expectWord(_ word: StaticString) throws(JSONError) {
        let letters = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for letter in letters {
            guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == letter else { throw JSONError(.unexpectedCharacter, at: index) }
            index += 1
        }
    }

    mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case ASCII.space, ASCII.newline, ASCII.carriageReturn, ASCII.tab: index += 1
            default: return
            }
        }
    }
}
