/// What a server text frame means to the load generator (API.md's server frames).
package enum ServerMessageKind: Equatable, Sendable {
    case hello
    case messageNew
    case messageAck
    case pong
    case error
    case other
}

/// Reads the load generator's fields out of one server text frame.
package enum ServerMessage {
    private static let kinds: [(literal: [UInt8], kind: ServerMessageKind)] = [
        (Array("message.new".utf8), .messageNew),
        (Array("message.ack".utf8), .messageAck),
        (Array("hello".utf8), .hello),
        (Array("pong".utf8), .pong),
        (Array("error".utf8), .error),
    ]

    package static func kind(of frame: UnsafeRawBufferPointer) -> ServerMessageKind {
        guard let range = JSONFieldScanner.string(JSONFieldScanner.type, in: frame) else { return .other }
        for entry in kinds where JSONFieldScanner.equals(frame, range, entry.literal) {
            return entry.kind
        }
        return .other
    }

    /// The send time a body starting `t=<monotonic ns>;` carries; nil for any other body.
    package static func bodyStamp(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        guard let range = JSONFieldScanner.string(JSONFieldScanner.body, in: frame), range.count > 2,
              frame[range.lowerBound] == UInt8(ascii: "t"),
              frame[range.lowerBound + 1] == UInt8(ascii: "=") else { return nil }
        return JSONFieldScanner.leadingDigits(frame, from: range.lowerBound + 2, to: range.upperBound)
    }

    /// The connection index in a client id this run made (see `ClientID`); nil for ids of
    /// other runs or clients.
    package static func clientIDOwner(_ frame: UnsafeRawBufferPointer, run: ClientID) -> Int? {
        guard let range = JSONFieldScanner.string(JSONFieldScanner.clientID, in: frame) else { return nil }
        return run.owner(frame, range)
    }

    /// The message's `seq`, used to check that each connection sees messages in order.
    package static func sequence(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        JSONFieldScanner.unsignedInteger(JSONFieldScanner.seq, in: frame)
    }

    /// The heartbeat period a `hello` asks for, in milliseconds.
    package static func heartbeatMilliseconds(_ frame: UnsafeRawBufferPointer) -> UInt64? {
        JSONFieldScanner.unsignedInteger(JSONFieldScanner.heartbeat, in: frame)
    }
}

/// Client ids `<run tag>-<connection index>-<n>`: the random tag keeps ids unique across runs
/// against the same conversation, so a server that deduplicates `client_id` never mistakes
/// a new message for a retry, and lets a receiver recognise its own messages.
package struct ClientID: Sendable {
    package let tag: [UInt8]

    package init(tag: String) { self.tag = Array(tag.utf8) }

    /// Appends the id of message `number` of connection `index`, unquoted.
    package func append(index: Int, number: UInt64, to out: inout [UInt8]) {
        out.append(contentsOf: tag)
        out.append(UInt8(ascii: "-"))
        DecimalText.append(UInt64(index), to: &out)
        out.append(UInt8(ascii: "-"))
        DecimalText.append(number, to: &out)
    }

    /// The connection index of the id at `range` of `bytes`, if this run made it.
    package func owner(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        let digits = range.lowerBound + tag.count + 1
        guard range.count > tag.count + 1,
              JSONFieldScanner.equals(bytes, range.lowerBound..<(range.lowerBound + tag.count), tag),
              bytes[digits - 1] == UInt8(ascii: "-"),
              let index = JSONFieldScanner.leadingDigits(bytes, from: digits, to: range.upperBound),
              index <= UInt64(Int.max) else { return nil }
        return Int(index)
    }
}

/// Decimal digits appended to a byte buffer without going through `String`.
package enum DecimalText {
    package static func append(_ value: UInt64, to out: inout [UInt8]) {
        guard value >= 10 else {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        append(value / 10, to: &out)
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
