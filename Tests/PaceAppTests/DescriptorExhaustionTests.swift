#if canImport(Glibc)
import Glibc
#endif
import PaceTestSupport
import Testing

@Suite("Running out of file descriptors")
struct DescriptorExhaustionTests {
    @Test func theServerShedsConnectionsWithoutSpinningAndRecovers() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let server = try ServerProcess(binary: binary, dataDirectory: directory, environment: try TestDatabase.serverEnvironment([:]))
        defer { server.kill() }
        try server.limitOpenFiles(to: 48)

        var clients: [TestClient] = []
        for _ in 0..<120 {
            if let client = try? TestClient(port: server.port, timeoutSeconds: 1) { clients.append(client) }
        }
        usleep(200_000)
        let before = server.cpuTicks()
        usleep(1_000_000)
        let spent = server.cpuTicks() - before
        #expect(spent < 30, "the server used \(spent) ticks in one second while out of descriptors")

        // The server frees a descriptor as it reads each client's EOF; until then a new
        // connection is shed (reset at once), so under a loaded test run it may take a few tries.
        clients.removeAll()
        var answer: String?
        for _ in 0..<30 where answer != "ok\n" {
            usleep(100_000)
            let fresh = try TestClient(port: server.port)
            fresh.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = fresh.readResponse()?.text
        }
        #expect(answer == "ok\n")
    }
}
