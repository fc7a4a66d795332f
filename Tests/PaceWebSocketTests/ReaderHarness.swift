import Testing
@testable import PaceWebSocket

/// One event and how many input bytes had been delivered when it came out.
struct TimedEvent: Equatable {
    var event: WebSocketEvent
    var bytesFed: Int
}

/// Drives a `WebSocketReader` the way the event loop does: bytes arrive in pieces, every
/// unconsumed byte is re-offered with the next piece appended, and each read gets an
/// exact-size copy so a read past the end trips the bounds checks.
enum ReaderHarness {
    static func run(_ input: [UInt8], cuts: [Int], maxMessageBytes: Int = WebSocketReader.defaultMaxMessageBytes,
                    allowsCompression: Bool = false) -> [TimedEvent] {
        var reader = WebSocketReader(maxMessageBytes: maxMessageBytes, allowsCompression: allowsCompression)
        var pending: [UInt8] = []
        var events: [TimedEvent] = []
        var fed = 0
        for end in cuts + [input.count] where end > fed {
            pending += input[fed..<end]
            fed = end
            while true {
                let result = pending.withUnsafeBytes { reader.read($0) }
                #expect(result.consumed >= 0 && result.consumed <= pending.count)
                pending.removeFirst(min(max(result.consumed, 0), pending.count))
                guard let event = result.event else { break }
                events.append(TimedEvent(event: event, bytesFed: fed))
            }
        }
        return events
    }

    /// Cut positions that split the input once at every position, or for long inputs at
    /// every position near either end and at a stride through the middle.
    static func singleSplits(_ count: Int) -> [[Int]] {
        guard count > 1 else { return [] }
        guard count > 400 else { return (1..<count).map { [$0] } }
        let positions = Array(1...150) + Array(stride(from: 151, to: count - 150, by: 997)) + Array((count - 150)..<count)
        return positions.map { [$0] }
    }

    /// Every way the tests feed an input: whole, byte by byte, and split once at every position.
    static func chunkings(_ count: Int) -> [[Int]] {
        [[], Array(1..<max(count, 1))] + singleSplits(count)
    }

    /// The events of `input`, checked to be the same however it is cut.
    static func events(_ input: [UInt8], maxMessageBytes: Int = WebSocketReader.defaultMaxMessageBytes,
                       allowsCompression: Bool = false) -> [WebSocketEvent] {
        let whole = run(input, cuts: [], maxMessageBytes: maxMessageBytes, allowsCompression: allowsCompression).map(\.event)
        for cuts in chunkings(input.count).dropFirst() {
            let events = run(input, cuts: cuts, maxMessageBytes: maxMessageBytes,
                             allowsCompression: allowsCompression).map(\.event)
            if events != whole {
                Issue.record("cut at \(cuts.count == 1 ? "\(cuts[0])" : "every byte") gave \(summary(events)), whole gave \(summary(whole))")
                break
            }
        }
        return whole
    }

    /// How many bytes had arrived, fed one at a time, when the reader failed; nil if it did not.
    static func failurePoint(_ input: [UInt8], maxMessageBytes: Int = WebSocketReader.defaultMaxMessageBytes,
                             allowsCompression: Bool = false) -> TimedEvent? {
        run(input, cuts: Array(1..<max(input.count, 1)), maxMessageBytes: maxMessageBytes,
            allowsCompression: allowsCompression).first {
            if case .fail = $0.event { true } else { false }
        }
    }

    static func summary(_ events: [WebSocketEvent]) -> String {
        events.map { event in
            switch event {
            case .text(let bytes): "text(\(bytes.count))"
            case .binary(let bytes): "binary(\(bytes.count))"
            case .compressed(let isText, let bytes): "compressed(\(isText ? "text" : "binary"), \(bytes.count))"
            case .ping(let bytes): "ping(\(bytes.count))"
            case .pong(let bytes): "pong(\(bytes.count))"
            case .close(let code, let reason): "close(\(code.map(\.description) ?? "nil"), \(reason.count))"
            case .fail(let code): "fail(\(code))"
            }
        }.joined(separator: ", ")
    }
}
