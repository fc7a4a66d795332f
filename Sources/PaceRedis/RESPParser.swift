/// What one call to `RESPParser.parse` made of its input.
package enum RESPParseResult: Sendable, Equatable {
    /// A whole reply, ending `consumed` bytes into the input; the rest is the next reply's.
    case value(RESPValue, consumed: Int)
    /// Every byte was taken into the parser's state; a reply needs more input.
    case needMore
    /// Not RESP2; the stream cannot be resynchronised.
    case failed(RESPError)
}

/// A resumable RESP2 reply parser: feed it bytes as they arrive, in pieces of any size, and it
/// returns each reply once complete. Partial lines, bulk strings and arrays live in its state,
/// so nothing is re-scanned. Declared lengths are checked against `RESPLimits` before any
/// allocation.
package struct RESPParser: Sendable {
    private enum Kind: UInt8 {
        case simple = 43   // +
        case error = 45    // -
        case integer = 58  // :
        case bulk = 36     // $
        case array = 42    // *
    }

    private enum State {
        case type
        case line(Kind)
        case lineFeed(Kind)
        case bulk(remaining: Int)
        case bulkCR
        case bulkLF
    }

    private struct OpenArray {
        var remaining: Int
        var items: [RESPValue]
    }

    private enum LineOutcome {
        case value(RESPValue)
        case pending
        case failed(RESPError)
    }

    package let limits: RESPLimits
    private var state = State.type
    private var line: [UInt8] = []
    private var bulk: [UInt8] = []
    private var open: [OpenArray] = []

    package init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// Takes bytes until one reply is complete (`.value`), the input runs out (`.needMore`) or
    /// the input is not RESP2 (`.failed`, after which the parser must not be used again).
    package mutating func parse(_ input: UnsafeRawBufferPointer) -> RESPParseResult {
        var index = 0
        while index < input.count {
            switch state {
            case .type:
                let byte = input[index]
                guard let kind = Kind(rawValue: byte) else { return .failed(.unknownType(byte)) }
                line.removeAll(keepingCapacity: true)
                state = .line(kind)
                index += 1
            case .line(let kind):
                var end = index
                while end < input.count && input[end] != 13 { end += 1 }
                guard line.count + (end - index) <= limits.maxLineLength else { return .failed(.lineTooLong) }
                line.append(contentsOf: input[index..<end])
                index = end
                if end < input.count {
                    state = .lineFeed(kind)
                    index += 1
                }
            case .lineFeed(let kind):
                guard input[index] == 10 else { return .failed(.missingCRLF) }
                index += 1
                switch completeLine(kind) {
                case .failed(let error): return .failed(error)
                case .pending: break
                case .value(let value):
                    if let reply = close(value) { return .value(reply, consumed: index) }
                }
            case .bulk(let remaining):
                let take = min(remaining, input.count - index)
                bulk.append(contentsOf: input[index..<(index + take)])
                index += take
                state = remaining == take ? .bulkCR : .bulk(remaining: remaining - take)
            case .bulkCR:
                guard input[index] == 13 else { return .failed(.missingCRLF) }
                index += 1
                state = .bulkLF
            case .bulkLF:
                guard input[index] == 10 else { return .failed(.missingCRLF) }
                index += 1
                state = .type
                let value = RESPValue.bulkString(bulk)
                bulk = []
                if let reply = close(value) { return .value(reply, consumed: index) }
            }
        }
        return .needMore
    }

    private mutating func completeLine(_ kind: Kind) -> LineOutcome {
        state = .type
        switch kind {
        case .simple: return .value(.simpleString(String(decoding: line, as: UTF8.self)))
        case .error: return .value(.error(String(decoding: line, as: UTF8.self)))
        case .integer:
            guard let number = Self.integer(line) else { return .failed(.badInteger) }
            return .value(.integer(number))
        case .bulk:
            guard let length = Self.integer(line) else { return .failed(.badLength) }
            if length == -1 { return .value(.null) }
            guard length >= 0 else { return .failed(.badLength) }
            guard length <= Int64(limits.maxBulkLength) else { return .failed(.bulkTooLong(Int(length))) }
            bulk.reserveCapacity(Int(length))
            state = length == 0 ? .bulkCR : .bulk(remaining: Int(length))
            return .pending
        case .array:
            guard let count = Self.integer(line) else { return .failed(.badLength) }
            if count == -1 { return .value(.null) }
            guard count >= 0 else { return .failed(.badLength) }
            guard count <= Int64(limits.maxArrayCount) else { return .failed(.arrayTooLong(Int(count))) }
            if count == 0 { return .value(.array([])) }
            guard open.count < limits.maxDepth else { return .failed(.tooDeep) }
            var items: [RESPValue] = []
            // Elements are checked one by one as they arrive; reserving for all of a declared
            // count up front would let a short message claim a large allocation.
            items.reserveCapacity(min(Int(count), 64))
            open.append(OpenArray(remaining: Int(count), items: items))
            return .pending
        }
    }

    /// Places a finished value into the innermost open array; returns the top-level reply
    /// once nothing is left open.
    private mutating func close(_ value: RESPValue) -> RESPValue? {
        var finished = value
        while !open.isEmpty {
            open[open.count - 1].items.append(finished)
            open[open.count - 1].remaining -= 1
            guard open[open.count - 1].remaining == 0 else { return nil }
            finished = .array(open.removeLast().items)
        }
        return finished
    }

    /// A decimal Int64 with an optional minus sign; nil on anything else or on overflow.
    static func integer(_ digits: [UInt8]) -> Int64? {
        var index = 0
        let negative = digits.first == 45
        if negative { index = 1 }
        guard index < digits.count else { return nil }
        var value: Int64 = 0
        while index < digits.count {
            let digit = digits[index] &- 48
            guard digit <= 9 else { return nil }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = negative ? times.subtractingReportingOverflow(Int64(digit))
                                            : times.addingReportingOverflow(Int64(digit))
            guard !overflowA && !overflowB else { return nil }
            value = sum
            index += 1
        }
        return value
    }
}
