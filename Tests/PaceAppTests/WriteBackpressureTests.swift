#if canImport(Glibc)
import Glibc
#endif
import PaceTestSupport
import Testing

@Suite("Writes that outrun the client")
struct WriteBackpressureTests {
    @Test func aConnectionThatCatchesUpLeavesTheLoopIdle() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let server = try ServerProcess(binary: binary, dataDirectory: directory, environment: try TestDatabase.serverEnvironment([:]))
        defer { server.kill() }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        // Far more than the socket buffers hold, yet under the 8 MiB a connection may queue
        // (HTTPServerConfiguration.outboundLimit), however openapi.yaml grows.
        let count = 30
        client.send(String(repeating: "GET /openapi.yaml HTTP/1.1\r\nHost: x\r\n\r\n", count: count))
        usleep(300_000)
        for _ in 0..<count { #expect(client.readResponse()?.status == 200) }
        // The connection stays open and idle: nothing may keep its loop busy now.
        usleep(200_000)
        let before = server.cpuTicks()
        usleep(1_000_000)
        let spent = server.cpuTicks() - before
        #expect(spent < 30, "the idle server used \(spent) ticks in one second")
    }
}
