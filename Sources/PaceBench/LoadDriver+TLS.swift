import PaceSystem
import PaceTLS

/// `--tls`: the handshake before the upgrade, and ciphertext between the socket and frames.
extension LoadDriver {
    /// The largest plaintext one TLS record carries, plus its overhead: a socket read is kept
    /// this much smaller than the space it lands in, so everything the engine can decrypt
    /// after it fits and no plaintext is left inside the engine once the socket is drained.
    private static let recordAllowance = 16_384 + 2_048

    /// Moves the handshake on; once it has finished, sends the upgrade request.
    func advanceHandshake(_ index: Int) {
        guard let engine = connections[index].tls else { return }
        let finished: Bool
        do throws(TLSError) {
            finished = try engine.handshake()
        } catch {
            return kill(index, "tls handshake: \(error)")
        }
        guard sendCiphertext(index, engine) else { return }
        if finished && connections[index].state == .securing {
            connections[index].state = .upgrading
            sendUpgrade(index)
        }
    }

    /// Writes whatever ciphertext the engine has made; false when the connection failed.
    func sendCiphertext(_ index: Int, _ engine: TLSEngine) -> Bool {
        let pending = engine.pendingCiphertext
        guard pending > 0 else { return true }
        cipherScratch.removeAll(keepingCapacity: true)
        cipherScratch.append(contentsOf: repeatElement(0, count: pending))
        let taken = cipherScratch.withUnsafeMutableBytes { engine.takeCiphertext(into: $0) }
        cipherScratch.removeLast(pending - taken)
        return writeToSocket(index, cipherScratch)
    }

    /// Reads ciphertext from the socket and returns the plaintext it decrypts to, in `target`:
    /// `.done(0)` when the server's stream ended, `.wouldBlock` while no whole record is in
    /// (or after a TLS failure, which has ended the connection).
    func readSecure(_ index: Int, _ engine: TLSEngine, into target: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        let room = max(1, target.count - Self.recordAllowance)
        let limited = UnsafeMutableRawBufferPointer(rebasing: target[..<room])
        switch Socket.read(connections[index].fd, into: limited) {
        case .done(0):
            return .done(0)
        case .done(let count):
            do throws(TLSError) {
                try engine.feed(UnsafeRawBufferPointer(rebasing: target[..<count]))
            } catch {
                kill(index, "tls: \(error)")
                return .wouldBlock
            }
        case .wouldBlock:
            return .wouldBlock
        case .failed(let error):
            return .failed(error)
        }
        if connections[index].state == .securing {
            advanceHandshake(index)
            return .wouldBlock
        }
        return decryptAll(index, engine, into: target)
    }

    private func decryptAll(_ index: Int, _ engine: TLSEngine, into target: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        var filled = 0
        do throws(TLSError) {
            while filled < target.count {
                guard let count = try engine.decrypt(into: UnsafeMutableRawBufferPointer(rebasing: target[filled...])) else {
                    return filled > 0 ? .done(filled) : .done(0)
                }
                if count == 0 { break }
                filled += count
            }
        } catch {
            kill(index, "tls: \(error)")
            return .wouldBlock
        }
        guard sendCiphertext(index, engine) else { return .wouldBlock }
        return filled > 0 ? .done(filled) : .wouldBlock
    }
}
