#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceTestSupport
import Testing

@Suite("Access log")
struct AccessLogTests {
    @Test func probeRoutesAreNotAccessLoggedButServiceRoutesAre() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let logPath = directory + "/server.log"
        let server = try ServerProcess(binary: binary, dataDirectory: directory + "/data", environment: try TestDatabase.serverEnvironment([:]),
                                       logPath: logPath)
        defer { server.kill() }
        for path in ["/readyz", "/healthz", "/metrics", "/api/v1/me"] {
            let client = try TestClient(port: server.port)
            client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(client.readResponse() != nil, "\(path)")
        }
        let deadline = Clock.monotonicMilliseconds() + 3_000
        var log = ""
        while !log.contains("path=/api/v1/me") && Clock.monotonicMilliseconds() < deadline {
            usleep(20_000)
            log = FileContents.text(logPath) ?? ""
        }
        // The readiness answer is logged, if at all, on a store thread: give it the same time.
        usleep(200_000)
        log = FileContents.text(logPath) ?? ""
        #expect(log.contains("path=/api/v1/me status=401"))
        for probe in ["/readyz", "/healthz", "/metrics"] {
            #expect(!log.contains("path=\(probe) "), "\(probe) was access-logged")
        }
    }
}
