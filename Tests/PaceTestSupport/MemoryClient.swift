import PaceLoop
import PaceSystem

/// A client on the peer side of a `MemoryTransport`, with `TestClient`'s calls: what it sends
/// is fed to the connection, and reads wait (by `advance`: stepping an embedded loop, or a
/// moment's sleep while the loop runs on its own thread) until the answer is there or the
/// timeout passes, so a test expecting bytes that never come fails instead of hanging.
package final class MemoryClient: TestConnection {
    package let transport: MemoryTransport
    private let advance: () -> Void
    /// How long a read waits for bytes that do not come.
    package var timeoutMilliseconds: Int64
    private var buffer: [UInt8] = []

    package init(_ transport: MemoryTransport, timeoutSeconds: Int = 5, advance: @escaping () -> Void) {
        self.transport = transport
        self.advance = advance
        timeoutMilliseconds = Int64(timeoutSeconds) * 1000
    }

    /// Leaving is hanging up, as closing a socket is.
    deinit { transport.disconnect() }

    package func send(_ bytes: [UInt8]) { transport.feed(bytes) }

    package func shutdownWrite() { transport.endInput() }

    /// Bytes received after the last response read, handed to another reader.
    package func takeBuffered() -> [UInt8] {
        buffer += transport.takeOutput()
        defer { buffer = [] }
        return buffer
    }

    /// Reads one response; nil on timeout or end of stream before a complete one.
    package func readResponse(headRequest: Bool = false) -> TestResponse? {
        var response: TestResponse?
        wait {
            let ended = transport.outputEnded
            buffer += transport.takeOutput()
            response = ResponseFraming.take(from: &buffer, headRequest: headRequest, ended: ended)
            return response != nil || ended
        }
        return response
    }

    package func receive() -> [UInt8]? {
        wait {
            buffer += transport.takeOutput()
            return !buffer.isEmpty || transport.outputEnded
        }
        buffer += transport.takeOutput()
        return buffer.isEmpty ? nil : takeBuffered()
    }

    /// True when the connection ended its output with nothing more to read.
    package func readsEOF() -> Bool {
        wait {
            buffer += transport.takeOutput()
            return !buffer.isEmpty || transport.outputEnded
        }
        buffer += transport.takeOutput()
        return buffer.isEmpty && transport.outputEnded
    }

    private func wait(until done: () -> Bool) {
        let deadline = Clock.monotonicMilliseconds() + timeoutMilliseconds
        while !done() && Clock.monotonicMilliseconds() < deadline { advance() }
    }
}
