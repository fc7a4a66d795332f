#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback TCP client for end-to-end tests, with a receive timeout so a test
/// that expects bytes which never come fails instead of hanging.
package final class TestClient: TestConnection {
    package let fd: Int32
    private var buffer: [UInt8] = []

    /// `receiveBuffer` shrinks the socket's receive buffer before connecting (afterwards the
    /// kernel has already scaled the window), to play a client that reads slowly.
    package init(port: UInt16, timeoutSeconds: Int = 5, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw TestClientError.connectFailed(errno)
        }
    }

    deinit { close(fd) }

    package func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Bytes received after the last response read, handed to another reader.
    package func takeBuffered() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }

    package func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads one response: head, then a body framed by Content-Length (none when absent and
    /// the status forbids a body, else until EOF). Nil on timeout or EOF before a full head.
    package func readResponse(headRequest: Bool = false) -> TestResponse? {
        while true {
            if let response = ResponseFraming.take(from: &buffer, headRequest: headRequest, ended: false) {
                return response
            }
            guard readMore() else {
                return ResponseFraming.take(from: &buffer, headRequest: headRequest, ended: true)
            }
        }
    }

    /// True when the server closed the connection (EOF) with nothing more to read.
    package func readsEOF() -> Bool {
        while true {
            if !buffer.isEmpty { return false }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    package func receive() -> [UInt8]? {
        if !buffer.isEmpty { return takeBuffered() }
        guard readMore() else { return nil }
        return takeBuffered()
    }

    private func readMore() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}

package enum TestClientError: Error { case connectFailed(Int32) }

/// A parsed response: status, headers (lower-cased names) and body.
package struct TestResponse {
    package let status: Int
    package let headers: [(String, String)]
    package var body: [UInt8] = []

    package init(head: String) {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
        let statusParts = lines.first?.split(separator: " ") ?? []
        status = statusParts.count > 1 ? Int(statusParts[1]) ?? 0 : 0
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters())
        }
    }

    package func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    package var text: String { String(decoding: body, as: UTF8.self) }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
