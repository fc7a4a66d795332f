#if canImport(Glibc)
import Glibc
#endif
import PaceJSON
import PaceSystem
import PaceTestSupport
import Synchronization
import Testing

@Suite("Crash durability")
struct CrashDurabilityTests {
    /// Four clients register users as fast as the server acknowledges them; the server is
    /// SIGKILLed mid-stream and restarted on the same data directory. Every registration that
    /// was answered 201 must be there; the ones in flight may or may not be.
    @Test func everyAcknowledgedWriteSurvivesASIGKILL() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        // On PostgreSQL both runs share one fresh schema; the data directory keeps the signing key.
        let environment = try TestDatabase.serverEnvironment(fastAccounts)
        let server = try ServerProcess(binary: binary, dataDirectory: directory, environment: environment)
        let acknowledged = Mutex<[(id: String, username: String, token: String)]>([])
        let port = server.port
        var clients: [OSThread] = []
        for client in 0..<4 {
            clients.append(try OSThread(name: "crash-client-\(client)") {
                for index in 0..<100_000 {
                    let name = "crash\(client)-\(index)"
                    guard let answer = try? httpCall(port: port, "POST", "/api/v1/auth/register",
                                                     json: #"{"username": "\#(name)", "password": "password123"}"#),
                          answer.status == 201, let account = try? TestAccount(answer.body) else { return }
                    acknowledged.withLock { $0.append((account.id, account.username, account.accessToken)) }
                }
            })
        }
        while acknowledged.withLock({ $0.count }) < 200 { usleep(2_000) }
        server.kill()
        for client in clients { client.join() }
        let written = acknowledged.withLock { $0 }

        let restarted = try ServerProcess(binary: binary, dataDirectory: directory, environment: environment)
        defer { restarted.kill() }
        let stored = try allUsernames(port: restarted.port, token: try #require(written.first?.token))
        let missing = written.filter { !stored.contains($0.username) }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(5).map(\.username))")
        #expect(written.count >= 200)
    }

    /// Every username, through the paginated directory.
    private func allUsernames(port: UInt16, token: String) throws -> Set<String> {
        var names: Set<String> = []
        var cursor: String?
        repeat {
            let path = "/api/v1/users?limit=100" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try httpCall(port: port, "GET", path, token: token)
            try #require(page.status == 200)
            for user in page.body["users"]?.arrayValue ?? [] {
                if let name = user["username"]?.stringValue { names.insert(name) }
            }
            cursor = page.body["next_cursor"]?.stringValue
        } while cursor != nil
        return names
    }
}
