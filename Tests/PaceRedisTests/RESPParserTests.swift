import Testing
@testable import PaceRedis

/// Replies fed whole, byte by byte and split at every position must parse to the same value
/// and consume exactly their own bytes.
struct RESPParserTests {
    static let replies: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("+\r\n", .simpleString("")),
        ("-ERR unknown command\r\n", .error("ERR unknown command")),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":9223372036854775807\r\n", .integer(.max)),
        (":-9223372036854775808\r\n", .integer(.min)),
        ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("*0\r\n", .array([])),
        ("*3\r\n$7\r\nmessage\r\n$4\r\npace\r\n$3\r\nabc\r\n",
         .array([.bulkString(Array("message".utf8)), .bulkString(Array("pace".utf8)), .bulkString(Array("abc".utf8))])),
        ("*2\r\n*2\r\n:1\r\n$-1\r\n*0\r\n+x\r\n", .array([.array([.integer(1), .null]), .array([])])),
        ("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n",
         .array([.bulkString(Array("subscribe".utf8)), .bulkString(Array("ch".utf8)), .integer(1)])),
    ]

    /// Feeds `bytes` in the pieces `cuts` gives and collects every reply.
    private func feed(_ bytes: [UInt8], cuts: [Int], limits: RESPLimits = RESPLimits()) -> ([RESPValue], RESPError?) {
        var parser = RESPParser(limits: limits)
        var values: [RESPValue] = []
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            var offset = start
            while offset < end {
                let result = bytes[offset..<end].withUnsafeBytes { parser.parse($0) }
                switch result {
                case .value(let value, let consumed):
                    values.append(value)
                    offset += consumed
                case .needMore:
                    offset = end
                case .failed(let error):
                    return (values, error)
                }
            }
            start = end
        }
        return (values, nil)
    }

    @Test(arguments: replies)
    func parsesWhole(_ text: String, _ expected: RESPValue) {
        let (values, error) = feed(Array(text.utf8), cuts: [])
        #expect(error == nil)
        #expect(values.first == expected)
    }

    @Test(arguments: replies)
    func parsesByteByByte(_ text: String, _ expected: RESPValue) {
        let bytes = Array(text.utf8)
        let (values, error) = feed(bytes, cuts: Array(1..<bytes.count))
        #expect(error == nil)
        #expect(values.first == expected)
    }

    @Test(arguments: replies)
    func parsesSplitAtEveryPosition(_ text: String, _ expected: RESPValue) {
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            let (values, error) = feed(bytes, cuts: [cut])
            #expect(error == nil)
            #expect(values.first == expected, "split at \(cut)")
        }
    }

    @Test func consumesOnlyItsOwnReply() {
        let bytes = Array("+OK\r\n:7\r\n$1\r\nz\r\n".utf8)
        var parser = RESPParser()
        let first = bytes.withUnsafeBytes { parser.parse($0) }
        #expect(first == .value(.simpleString("OK"), consumed: 5))
        let (values, error) = feed(bytes, cuts: [3, 9, 12])
        #expect(error == nil)
        #expect(values == [.simpleString("OK"), .integer(7), .bulkString([122])])
    }

    @Test func partialReplyNeedsMore() {
        var parser = RESPParser()
        let result = Array("*2\r\n$3\r\nab".utf8).withUnsafeBytes { parser.parse($0) }
        #expect(result == .needMore)
    }

    static let malformed: [(String, RESPError)] = [
        ("?x\r\n", .unknownType(63)),
        (":12a\r\n", .badInteger),
        (":\r\n", .badInteger),
        (":-\r\n", .badInteger),
        (":9223372036854775808\r\n", .badInteger),
        ("+OK\rX", .missingCRLF),
        ("$3\r\nabcX\r\n", .missingCRLF),
        ("$3\r\nabc\rX", .missingCRLF),
        ("$-2\r\n", .badLength),
        ("$x\r\n", .badLength),
        ("*-5\r\n", .badLength),
        ("$9999999999\r\n", .bulkTooLong(9_999_999_999)),
        ("*100000\r\n", .arrayTooLong(100_000)),
        ("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", .tooDeep),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedInput(_ text: String, _ expected: RESPError) {
        let bytes = Array(text.utf8)
        #expect(feed(bytes, cuts: []).1 == expected)
        #expect(feed(bytes, cuts: Array(1..<bytes.count)).1 == expected)
    }

    @Test func checksLimitsBeforeTheBodyArrives() {
        let limits = RESPLimits(maxBulkLength: 4, maxArrayCount: 2, maxDepth: 2, maxLineLength: 6)
        #expect(feed(Array("$5\r\n".utf8), cuts: [], limits: limits).1 == .bulkTooLong(5))
        #expect(feed(Array("*3\r\n".utf8), cuts: [], limits: limits).1 == .arrayTooLong(3))
        #expect(feed(Array("+abcdefg".utf8), cuts: [], limits: limits).1 == .lineTooLong)
        #expect(feed(Array("$4\r\nabcd\r\n".utf8), cuts: [], limits: limits).1 == nil)
    }
}
