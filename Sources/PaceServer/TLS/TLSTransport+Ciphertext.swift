#if canImport(Glibc)
import Glibc
#endif
import PaceLoop
import PaceSystem
import PaceTLS

/// Ciphertext on its way out: from the engine through the loop's scratch buffer to the inner
/// transport, with the part the inner transport did not take kept in `unsent` (see the
/// ownership note on `TLSTransport`).
extension TLSTransport {
    /// Moves the transport's ciphertext to the inner transport: `.done` once none is left.
    func flushCiphertext() -> IOResult<Void> {
        while true {
            if unsentOffset < unsent.count {
                let result = unsent.withUnsafeBytes { writeInner(UnsafeRawBufferPointer(rebasing: $0[unsentOffset...])) }
                switch result {
                case .done(let count):
                    unsentOffset += count
                    guard unsentOffset == unsent.count else { return .wouldBlock }
                    unsent = []
                    unsentOffset = 0
                case .wouldBlock: return .wouldBlock
                case .failed(let error): return .failed(error)
                }
            }
            guard engine.pendingCiphertext > 0, let scratch = shared?.scratch else { return .done(()) }
            let taken = engine.takeCiphertext(into: scratch)
            let chunk = UnsafeRawBufferPointer(rebasing: scratch[0..<taken])
            switch writeInner(chunk) {
            case .done(let count) where count == taken: continue
            case .done(let count):
                unsent = Array(chunk[count...])
                return .wouldBlock
            case .wouldBlock:
                unsent = Array(chunk)
                return .wouldBlock
            case .failed(let error): return .failed(error)
            }
        }
    }

    func writeInner(_ bytes: UnsafeRawBufferPointer) -> IOResult<Int> {
        var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
        return withUnsafePointer(to: &vector) { inner.write(UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Writable interest on the inner transport exactly while ciphertext waits.
    func armForCiphertext() {
        do throws(SystemError) {
            try updateInnerInterest()
        } catch {
            fail(error)
            queueReport()
        }
    }

    func updateInnerInterest() throws(SystemError) {
        var desired: Interest
        switch phase {
        case .handshaking, .rejecting: desired = .readable
        case .established: desired = wanted.intersection(.readable)
        case .draining: desired = .writable
        case .failed, .closed: return
        }
        if holdsCiphertext || (wanted.contains(.writable) && isEstablished) { desired.insert(.writable) }
        guard desired != innerInterest else { return }
        innerInterest = desired
        try inner.setInterest(desired)
    }
}
