/// Builds one data message out of the payloads of its frames, enforcing the size limit and,
/// for text, validating UTF-8 as the bytes arrive so a bad message fails without waiting for
/// its end.
struct WebSocketMessageAssembler: Sendable {
    /// Upper bound on the storage reserved when a message starts: a peer that declares a
    /// large frame and then trickles it in only makes the buffer grow as bytes arrive.
    private static let initialReservation = 64 * 1024

    let maxMessageBytes: Int
    /// `.text` or `.binary` while a message is open, nil between messages.
    private var opcode: WebSocketOpcode?
    /// Whether the open message is compressed: its UTF-8 is checked only once inflated.
    private var compressed = false
    private var buffer: [UInt8] = []
    private var validator = UTF8Validator()

    init(maxMessageBytes: Int) {
        self.maxMessageBytes = max(0, maxMessageBytes)
    }

    var isOpen: Bool { opcode != nil }

    /// How much more payload the open message (or a new one) may take.
    var remainingCapacity: Int { maxMessageBytes &- buffer.count }

    /// The event for an unfragmented message whose whole frame is at hand: the path most
    /// messages take, costing one allocation (the payload) and no intermediate copy.
    static func singleFrame(
        _ opcode: WebSocketOpcode, compressed: Bool, masked: UnsafeRawBufferPointer, mask: WebSocketMask
    ) -> WebSocketEvent {
        let payload = mask.unmasked(masked)
        if compressed { return .compressed(isText: opcode == .text, payload: payload) }
        guard opcode == .text else { return .binary(payload) }
        var validator = UTF8Validator()
        guard validator.feed(payload), validator.isComplete else {
            return .fail(closeCode: .invalidPayload)
        }
        return .text(payload)
    }

    /// Opens a message of `opcode` (text or binary) whose first frame declares `frameLength`.
    mutating func begin(_ opcode: WebSocketOpcode, compressed: Bool, frameLength: Int) {
        self.opcode = opcode
        self.compressed = compressed
        buffer.reserveCapacity(min(frameLength, Self.initialReservation))
    }

    /// Appends the next masked payload bytes, `payloadOffset` bytes into their frame; false
    /// when they make a text message invalid UTF-8.
    mutating func append(
        _ masked: UnsafeRawBufferPointer, mask: WebSocketMask, payloadOffset: Int
    ) -> Bool {
        let start = buffer.count
        masked.withMemoryRebound(to: UInt8.self) { buffer.append(contentsOf: $0) }
        let isText = opcode == .text && !compressed
        return buffer.withUnsafeMutableBytes { all in
            let added = UnsafeMutableRawBufferPointer(rebasing: all[start...])
            mask.apply(to: added, payloadOffset: payloadOffset)
            return !isText || validator.feed(UnsafeRawBufferPointer(added))
        }
    }

    /// Closes the message after its final frame and hands its bytes over without a copy.
    mutating func finish() -> WebSocketEvent {
        let isText = opcode == .text
        let payload = buffer
        buffer = []
        opcode = nil
        if compressed { return .compressed(isText: isText, payload: payload) }
        guard isText else { return .binary(payload) }
        let complete = validator.isComplete
        validator = UTF8Validator()
        return complete ? .text(payload) : .fail(closeCode: .invalidPayload)
    }
}
