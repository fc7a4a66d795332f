#if canImport(Glibc)
import Glibc
#endif
import PaceHTTP
import PaceServer
import PaceSystem
import Synchronization
import Testing

/// Pace's own HTTP client against a raw loopback listener: answers, connection reuse, the
/// timeout of a receiver that never answers, and the SSRF refusal of loopback.
struct HTTPClientTests {
    /// Accepts connections on a thread; each request (up to the blank line, no body expected
    /// beyond Content-Length) gets `answer`, or nothing when `answer` is nil.
    final class RawListener: Sendable {
        let fd: Int32
        let port: UInt16
        let accepted = Atomic<Int>(0)

        init(answer: String?) throws {
            fd = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 16, reusePort: false)
            port = try Socket.localPort(fd)
            let fd = self.fd
            _ = try OSThread(name: "raw-listener") { [self] in
                defer { close(fd) }
                while true {
                    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    guard poll(&poller, 1, 5_000) > 0 else { return }
                    let client = Glibc.accept(fd, nil, nil)
                    guard client >= 0 else { return }
                    self.accepted.add(1, ordering: .relaxed)
                    _ = try? OSThread(name: "raw-connection") { Self.serve(client, answer: answer) }
                }
            }
        }

        private static func serve(_ client: Int32, answer: String?) {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 5_000) > 0 else { break }
                let count = buffer.withUnsafeMutableBytes { Glibc.read(client, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                pending += buffer[..<count]
                while let end = Self.requestEnd(pending) {
                    pending.removeFirst(end)
                    guard let answer else { continue }
                    _ = Array(answer.utf8).withUnsafeBytes { Glibc.write(client, $0.baseAddress, $0.count) }
                }
            }
            close(client)
        }

        private static func requestEnd(_ bytes: [UInt8]) -> Int? {
            let marker: [UInt8] = [13, 10, 13, 10]
            guard bytes.count >= 4, let head = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == marker })
            else { return nil }
            let text = String(decoding: bytes[..<head], as: UTF8.self).lowercased()
            let length = text.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst(15).trimmingPrefix(" ")) } ?? 0
            return bytes.count >= head + 4 + length ? head + 4 + length : nil
        }

        /// The listening socket is closed; the accept thread ends at its next poll timeout.
        func stop() { _ = shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func send(_ client: HTTPClient, _ url: String, timeout: Int64 = 2_000) throws
        -> Result<ClientResponse, HTTPClientError> {
        let latch = CountdownLatch(count: 1)
        let result = Mutex<Result<ClientResponse, HTTPClientError>?>(nil)
        client.send(OutboundRequest(url: try #require(OutboundURL(url)), body: Array("{}".utf8),
                                    timeoutMilliseconds: timeout)) { outcome in
            result.withLock { $0 = outcome }
            latch.countDown()
        }
        latch.wait()
        return try #require(result.withLock { $0 })
    }

    private func client(allowPrivate: Bool = true) throws -> HTTPClient {
        var settings = HTTPClient.Settings()
        settings.allowPrivateAddresses = allowPrivate
        return try HTTPClient(settings: settings)
    }

    @Test func answersAndReusesTheConnection() throws {
        let listener = try RawListener(answer: "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok")
        let client = try client()
        defer { client.shutdown() }
        for _ in 0..<3 {
            let response = try send(client, "http://127.0.0.1:\(listener.port)/hook").get()
            #expect(response.status == 202 && response.body == Array("ok".utf8))
        }
        #expect(listener.accepted.load(ordering: .relaxed) == 1)
    }

    /// `localhost` resolves to ::1 and 127.0.0.1; the listener has only the IPv4 one.
    @Test func aNameReachesItsIPv4Address() throws {
        let listener = try RawListener(answer: "HTTP/1.1 204 No Content\r\n\r\n")
        let client = try client()
        defer { client.shutdown() }
        #expect(try send(client, "http://localhost:\(listener.port)/").map(\.status) == .success(204))
    }

    @Test func aReceiverThatNeverAnswersTimesOut() throws {
        let listener = try RawListener(answer: nil)
        let client = try client()
        defer { client.shutdown() }
        let started = Clock.monotonicMilliseconds()
        #expect(try send(client, "http://127.0.0.1:\(listener.port)/", timeout: 200) == .failure(.timedOut))
        #expect(Clock.monotonicMilliseconds() - started < 2_000)
    }

    @Test func loopbackIsRefusedUnlessAllowed() throws {
        let listener = try RawListener(answer: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let client = try client(allowPrivate: false)
        defer { client.shutdown() }
        #expect(try send(client, "http://127.0.0.1:\(listener.port)/") == .failure(.forbiddenAddress))
        #expect(try send(client, "http://localhost:\(listener.port)/") == .failure(.forbiddenAddress))
        #expect(listener.accepted.load(ordering: .relaxed) == 0)
    }

    @Test func aClosedPortFailsToConnect() throws {
        let listener = try RawListener(answer: nil)
        listener.stop()
        let port = listener.port
        let client = try client()
        defer { client.shutdown() }
        #expect(try send(client, "http://127.0.0.1:\(port)/") == .failure(.connectFailed))
    }
}
