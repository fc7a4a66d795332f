#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceTLS
import PaceWebSocket

/// Writing: straight to the socket when nothing is queued, the rest queued until writable.
extension LoadDriver {
    private static let pingMessage = Array(#"{"type":"ping"}"#.utf8)

    /// Sends one text message; false when the connection failed doing so.
    package func sendText(_ index: Int, _ payload: [UInt8]) -> Bool {
        payload.withUnsafeBytes { sendFrame(index, .text, $0) }
    }

    func sendFrame(_ index: Int, _ opcode: WebSocketOpcode, _ payload: [UInt8]) -> Bool {
        payload.withUnsafeBytes { sendFrame(index, opcode, $0) }
    }

    func sendFrame(_ index: Int, _ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) -> Bool {
        frameScratch.removeAll(keepingCapacity: true)
        ClientFrameEncoder.append(opcode, payload: payload, maskKey: masks.next(), to: &frameScratch)
        return write(index, frameScratch)
    }

    /// Writes `bytes` (encrypted first with `--tls`) now if nothing is queued ahead of them,
    /// queueing what the socket would not take; false when the connection failed.
    func write(_ index: Int, _ bytes: [UInt8]) -> Bool {
        guard let engine = connections[index].tls else { return writeToSocket(index, bytes) }
        let failure = bytes.withUnsafeBytes { plaintext -> TLSError? in
            do throws(TLSError) { try engine.encrypt(plaintext) } catch { return error }
            return nil
        }
        if let failure {
            counters.sendErrors += 1
            kill(index, "tls: \(failure)")
            return false
        }
        return sendCiphertext(index, engine)
    }

    func writeToSocket(_ index: Int, _ bytes: [UInt8]) -> Bool {
        guard connections[index].output.isEmpty else {
            connections[index].output.append(contentsOf: bytes)
            return true
        }
        switch writeNow(connections[index].fd, bytes[...]) {
        case .done(let written):
            guard written < bytes.count else { return true }
            connections[index].output = Array(bytes[written...])
            setWritableInterest(index, true)
            return true
        case .wouldBlock:
            connections[index].output = bytes
            setWritableInterest(index, true)
            return true
        case .failed(let error):
            counters.sendErrors += 1
            kill(index, "\(error)")
            return false
        }
    }

    /// Writes queued bytes once the socket is writable again.
    func flush(_ index: Int) {
        guard !connections[index].output.isEmpty else { return setWritableInterest(index, false) }
        switch writeNow(connections[index].fd, connections[index].output[...]) {
        case .done(let written):
            if written == connections[index].output.count {
                connections[index].output = []
                setWritableInterest(index, false)
            } else {
                connections[index].output.removeFirst(written)
            }
        case .wouldBlock:
            break
        case .failed(let error):
            counters.sendErrors += 1
            kill(index, "\(error)")
        }
    }

    private func writeNow(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> IOResult<Int> {
        bytes.withUnsafeBytes { raw in
            var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
            return withUnsafePointer(to: &vector) { Socket.write(fd, UnsafeBufferPointer(start: $0, count: 1)) }
        }
    }

    /// Sends `{"type":"ping"}` on every open connection whose heartbeat is due.
    package func sendHeartbeats(now: UInt64) {
        for index in connections.indices where connections[index].state == .open
            && connections[index].heartbeatInterval > 0 && connections[index].nextPingAt <= now {
            connections[index].nextPingAt = now + connections[index].heartbeatInterval
            _ = sendFrame(index, .text, Self.pingMessage)
        }
    }
}
