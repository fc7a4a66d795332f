/// The server's side of reading a WebSocket connection (RFC 6455 sections 5 to 8): client
/// frames in, validated messages and control events out. Pure and resumable.
///
/// The caller owns the input buffer. It offers every unconsumed byte, drops `consumed` bytes
/// from the front, and calls again while an event comes back; when `event` is nil, the
/// unconsumed rest (a partial header or control frame, at most 131 bytes) is offered again
/// once more bytes are appended:
///
///     while true {
///         let result = reader.read(unconsumedBytes)
///         dropFront(result.consumed)
///         guard let event = result.event else { break }
///         handle(event)
///     }
///
/// The input is only read during the call and never referenced afterwards; events own
/// their bytes (see `WebSocketEvent`). Data frame payloads are consumed as they arrive, so a large message never has to fit the
/// caller's buffer, and invalid UTF-8 fails on the byte that makes it so. An unfragmented
/// frame that is already whole is unmasked straight into the array the event carries.
/// After `.close` or `.fail` the reader is finished: it consumes and ignores everything.
package struct WebSocketReader: Sendable {
    /// The default limit on one message, all fragments together.
    package static let defaultMaxMessageBytes = 1 << 20

    private var assembler: WebSocketMessageAssembler
    private var phase: Phase = .header
    private let allowsCompression: Bool

    private enum Phase: Sendable {
        case header
        /// Inside the payload of a data frame whose header was consumed.
        case payload(PartialFrame)
        case finished
    }

    private struct PartialFrame: Sendable {
        var mask: WebSocketMask
        var fin: Bool
        var remaining: Int
        var offset: Int
    }

    /// - Parameters:
    ///   - maxMessageBytes: a message whose frames declare more in total fails with 1009 as
    ///     soon as the offending header is read, before any of its payload is kept. For a
    ///     compressed message this bounds the compressed bytes; the inflater bounds the rest.
    ///   - allowsCompression: permessage-deflate was agreed: a message whose first frame has
    ///     RSV1 comes out as `.compressed`, left to the caller to inflate.
    package init(maxMessageBytes: Int = WebSocketReader.defaultMaxMessageBytes, allowsCompression: Bool = false) {
        assembler = WebSocketMessageAssembler(maxMessageBytes: maxMessageBytes)
        self.allowsCompression = allowsCompression
    }

    package var maxMessageBytes: Int { assembler.maxMessageBytes }

    /// Whether a close or failure ended reading.
    package var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// Reads from the start of `input` up to and including the next event, if there is one.
    package mutating func read(_ input: UnsafeRawBufferPointer) -> WebSocketReadResult {
        var consumed = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
            switch phase {
            case .finished:
                return WebSocketReadResult(consumed: input.count, event: nil)
            case .payload(var frame):
                let take = min(frame.remaining, rest.count)
                let masked = UnsafeRawBufferPointer(rebasing: rest[..<take])
                guard assembler.append(masked, mask: frame.mask, payloadOffset: frame.offset) else {
                    return fail(.invalidPayload, input)
                }
                consumed &+= take
                frame.remaining &-= take
                frame.offset &+= take
                guard frame.remaining == 0 else {
                    phase = .payload(frame)
                    return WebSocketReadResult(consumed: consumed, event: nil)
                }
                phase = .header
                if frame.fin { return finishing(assembler.finish(), consumed: consumed) }
            case .header:
                let parsed = WebSocketFrameHeader.parse(
                    rest, inMessage: assembler.isOpen, dataLimit: assembler.remainingCapacity,
                    allowsCompression: allowsCompression
                )
                switch parsed {
                case .needMore:
                    return WebSocketReadResult(consumed: consumed, event: nil)
                case .fail(let code):
                    return fail(code, input)
                case .header(let header):
                    if let result = start(header, rest, consumed: &consumed) { return result }
                }
            }
        }
    }

    /// Acts on a parsed header at the start of `rest`: a result when an event (or the need
    /// for more bytes) is known, nil once the header is consumed and payload follows.
    private mutating func start(
        _ header: WebSocketFrameHeader, _ rest: UnsafeRawBufferPointer, consumed: inout Int
    ) -> WebSocketReadResult? {
        let available = rest.count &- header.headerLength
        let whole = available >= header.payloadLength
        let payload = UnsafeRawBufferPointer(
            rebasing: rest[header.headerLength..<(header.headerLength &+ min(available, header.payloadLength))]
        )
        if header.opcode.isControl {
            guard whole else { return WebSocketReadResult(consumed: consumed, event: nil) }
            consumed &+= header.headerLength &+ header.payloadLength
            let event = WebSocketControlFrame.event(header.opcode, payload: header.mask.unmasked(payload))
            return finishing(event, consumed: consumed)
        }
        if header.fin && whole && !assembler.isOpen {
            consumed &+= header.headerLength &+ header.payloadLength
            let event = WebSocketMessageAssembler.singleFrame(
                header.opcode, compressed: header.compressed, masked: payload, mask: header.mask
            )
            return finishing(event, consumed: consumed)
        }
        if header.opcode != .continuation {
            assembler.begin(header.opcode, compressed: header.compressed, frameLength: header.payloadLength)
        }
        consumed &+= header.headerLength
        phase = .payload(PartialFrame(
            mask: header.mask, fin: header.fin, remaining: header.payloadLength, offset: 0
        ))
        return nil
    }

    /// Returns `event`, finishing the reader when it ends the connection.
    private mutating func finishing(_ event: WebSocketEvent, consumed: Int) -> WebSocketReadResult {
        switch event {
        case .close, .fail: phase = .finished
        default: break
        }
        return WebSocketReadResult(consumed: consumed, event: event)
    }

    private mutating func fail(_ code: WebSocketCloseCode, _ input: UnsafeRawBufferPointer) -> WebSocketReadResult {
        phase = .finished
        return WebSocketReadResult(consumed: input.count, event: .fail(closeCode: code))
    }
}
