import Testing
@testable import PaceHTTP

/// Request text with `\r\n` spelled out, as bytes.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// What parsing one head produced: the result and, when complete, the header fields.
struct HeadOutcome: Equatable, CustomStringConvertible {
    var result: HeadParseResult
    var headers: [HTTPHeaderField]

    var head: RequestHead? {
        if case .complete(let head) = result { return head }
        return nil
    }

    var error: HTTPParseError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    var description: String { "\(result) headers: \(headers.count)" }
}

/// Drives `RequestHeadParser` over the same input in several ways; every prefix is passed as
/// its own exact-size allocation, so a read past `buffer.count` would trip the bounds check
/// of debug builds instead of reading a neighbour's bytes.
enum ParserHarness {
    /// Feeds the prefixes ending at each of `cuts` and then the whole input, stopping at the
    /// first answer that is not `.needMore`.
    static func parse(_ input: [UInt8], cuts: [Int], limits: HTTPLimits = HTTPLimits()) -> HeadOutcome {
        var parser = RequestHeadParser(limits: limits)
        var headers: [HTTPHeaderField] = []
        headers.reserveCapacity(limits.maxHeaderCount)
        for cut in cuts + [input.count] {
            let result = Array(input[0..<cut]).withUnsafeBytes { parser.parse($0, into: &headers) }
            if result != .needMore {
                let complete = if case .complete = result { true } else { false }
                return HeadOutcome(result: result, headers: complete ? headers : [])
            }
        }
        return HeadOutcome(result: .needMore, headers: [])
    }

    static func whole(_ input: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HeadOutcome {
        parse(input, cuts: [], limits: limits)
    }

    static func byteByByte(_ input: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HeadOutcome {
        parse(input, cuts: Array(0..<input.count), limits: limits)
    }

    /// Parses whole, byte by byte and split in two at every position, expects the same
    /// outcome from each, and returns it.
    static func consistent(
        _ input: [UInt8], limits: HTTPLimits = HTTPLimits(), sourceLocation: SourceLocation = #_sourceLocation
    ) -> HeadOutcome {
        let expected = whole(input, limits: limits)
        #expect(byteByByte(input, limits: limits) == expected, "byte by byte", sourceLocation: sourceLocation)
        for split in 0...input.count {
            let outcome = parse(input, cuts: [split], limits: limits)
            if outcome != expected {
                Issue.record("split at \(split): \(outcome) != \(expected)", sourceLocation: sourceLocation)
                break
            }
        }
        return expected
    }

    /// The text of `range` in `input`.
    static func text(_ input: [UInt8], _ range: Range<Int>?) -> String? {
        guard let range else { return nil }
        return String(decoding: input[range], as: UTF8.self)
    }
}
