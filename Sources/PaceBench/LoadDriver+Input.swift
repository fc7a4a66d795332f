#if canImport(Glibc)
import Glibc
#endif
import PaceDeflate
import PaceSystem
import PaceWebSocket

/// Reading: bytes into the shared buffer, whole frames handled in place, the partial rest
/// kept by the connection.
extension LoadDriver {
    /// Reads until the socket is drained (at most a few rounds, so one busy connection
    /// cannot starve the others) and handles every complete frame.
    func readAvailable(_ index: Int, now: UInt64, handler: any MessageHandler) {
        for _ in 0..<8 {
            guard connections[index].state.isLive else { return }
            let carried = connections[index].input.count
            reserveReadBuffer(carried + Self.readChunk)
            if carried > 0 {
                connections[index].input.withUnsafeBytes { readBuffer.copyMemory(from: $0) }
            }
            let space = readBuffer.count - carried
            let target = UnsafeMutableRawBufferPointer(rebasing: readBuffer[carried...])
            let result = connections[index].tls.map { readSecure(index, $0, into: target) }
                ?? Socket.read(connections[index].fd, into: target)
            switch result {
            case .wouldBlock:
                return
            case .failed(let error):
                return kill(index, "\(error)")
            case .done(0):
                return kill(index, "server closed the TCP connection")
            case .done(let count):
                let received = UnsafeRawBufferPointer(rebasing: readBuffer[..<(carried + count)])
                guard let consumed = process(index, received, now: now, handler: handler) else { return }
                keep(index, UnsafeRawBufferPointer(rebasing: received[consumed...]))
                if count < space { return }
            }
        }
    }

    private func reserveReadBuffer(_ size: Int) {
        guard readBuffer.count < size else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, readBuffer.count * 2), alignment: 8)
        readBuffer.deallocate()
        readBuffer = grown
    }

    /// Stores what is left after the whole frames, releasing the storage when nothing is.
    private func keep(_ index: Int, _ rest: UnsafeRawBufferPointer) {
        if rest.isEmpty {
            if !connections[index].input.isEmpty { connections[index].input = [] }
        } else {
            connections[index].input = Array(rest)
        }
    }

    /// Handles the upgrade response (while upgrading) and every complete frame; returns how
    /// many bytes were used, or nil when the connection ended.
    private func process(_ index: Int, _ bytes: UnsafeRawBufferPointer, now: UInt64,
                         handler: any MessageHandler) -> Int? {
        var offset = 0
        if connections[index].state == .upgrading {
            guard let headLength = takeUpgradeResponse(index, bytes) else { return nil }
            guard headLength > 0 else { return 0 }
            offset = headLength
        }
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch ServerFrameHeader.parse(rest, maxPayload: Self.maxFramePayload, deflate: inflater != nil) {
            case .needMore:
                return offset
            case .invalid(let reason):
                counters.protocolErrors += 1
                kill(index, "protocol error: \(reason)")
                return nil
            case .header(let header):
                guard rest.count >= header.frameLength else { return offset }
                let payload = UnsafeRawBufferPointer(rebasing: rest[header.headerLength..<header.frameLength])
                offset += header.frameLength
                frame(index, header, payload, now: now, handler: handler)
                guard connections[index].state.isLive else { return nil }
            }
        }
        return offset
    }

    private func frame(_ index: Int, _ header: ServerFrameHeader, _ payload: UnsafeRawBufferPointer,
                       now: UInt64, handler: any MessageHandler) {
        switch header.opcode {
        case .text, .binary:
            guard connections[index].fragmentOpcode == nil else {
                return protocolError(index, "new message inside a fragmented one")
            }
            if !header.fin {
                connections[index].fragmentOpcode = header.opcode
                connections[index].fragmentCompressed = header.compressed
                connections[index].fragment = Array(payload)
            } else if header.opcode == .text {
                text(index, payload, compressed: header.compressed, now: now, handler: handler)
            }
        case .continuation:
            guard let opcode = connections[index].fragmentOpcode else {
                return protocolError(index, "continuation without a message")
            }
            guard connections[index].fragment.count + payload.count <= Self.maxFramePayload else {
                return protocolError(index, "fragmented message too large")
            }
            connections[index].fragment.append(contentsOf: payload)
            guard header.fin else { return }
            let whole = connections[index].fragment
            let compressed = connections[index].fragmentCompressed
            connections[index].fragment = []
            connections[index].fragmentOpcode = nil
            connections[index].fragmentCompressed = false
            if opcode == .text {
                whole.withUnsafeBytes { text(index, $0, compressed: compressed, now: now, handler: handler) }
            }
        case .ping:
            counters.pingsAnswered += 1
            _ = sendFrame(index, .pong, payload)
        case .pong:
            break
        case .close:
            closeReceived(index, payload)
        }
    }

    /// A whole text message, inflated first when it arrived compressed. The server keeps no
    /// compression context between messages, so one inflater serves every connection.
    private func text(_ index: Int, _ payload: UnsafeRawBufferPointer, compressed: Bool, now: UInt64,
                      handler: any MessageHandler) {
        guard compressed else { return message(index, payload, now: now, handler: handler) }
        guard let inflater else { return protocolError(index, "compressed message without deflate") }
        counters.compressedMessages += 1
        switch inflater.inflate(payload, limit: Self.maxFramePayload, keepContext: false) {
        case .success(let inflated):
            inflated.withUnsafeBytes { message(index, $0, now: now, handler: handler) }
        case .failure(let error):
            protocolError(index, "inflate: \(error)")
        }
    }

    private func message(_ index: Int, _ frame: UnsafeRawBufferPointer, now: UInt64, handler: any MessageHandler) {
        let kind = ServerMessage.kind(of: frame)
        switch kind {
        case .hello:
            helloReceived(index, frame, now: now)
        case .messageNew, .messageAck:
            handler.received(kind, frame, connection: index, now: now)
        case .pong:
            counters.pongs += 1
        case .error:
            counters.serverErrorFrames += 1
            log.detail("connection \(index) got an error frame: \(String(decoding: frame.prefix(300), as: UTF8.self))")
        case .other:
            counters.otherFrames += 1
        }
    }

    /// The server's close: answer with its code (RFC 6455 section 5.5.1), then drop.
    private func closeReceived(_ index: Int, _ payload: UnsafeRawBufferPointer) {
        counters.serverCloses += 1
        let code = payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005
        counters.closeCodes[code, default: 0] += 1
        _ = sendFrame(index, .close, UnsafeRawBufferPointer(rebasing: payload.prefix(2)))
        kill(index, "server sent close \(code)")
    }

    private func protocolError(_ index: Int, _ reason: String) {
        counters.protocolErrors += 1
        kill(index, "protocol error: \(reason)")
    }
}
