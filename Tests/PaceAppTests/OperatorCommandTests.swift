#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceStore
import PaceSystem
import PaceTestSupport
import Testing

@Suite("pace users promote and pace backup")
struct OperatorCommandTests {
    @Test func promoteMakesAnAdminBesideARunningServer() throws {
        let binary = try ServerProcess.requiredBinary()
        let app = try TestApp.accounts()
        let account = try app.register("uma")
        // On PostgreSQL the command finds the database by URL, as the server does.
        let postgres = app.server.context.configuration.postgres
        let environment = postgres.map { ["PACE_DATABASE_URL": $0.url] } ?? [:]
        let place = postgres == nil ? ["--data-dir", app.directory] : []
        #expect(try ServerProcess.run(binary, ["users", "promote", "uma"] + place, environment: environment) == 0)
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).body["role"]?.stringValue == "admin")
        #expect(try ServerProcess.run(binary, ["users", "promote", "nobody"] + place, environment: environment) == 1)
        #expect(try ServerProcess.run(binary, ["users", "promote"]) == 1)
    }

    @Test(.disabled(if: TestDatabase.isPostgres, Comment(rawValue: TestDatabase.sqliteOnly)))
    func backupWritesAConsistentCopy() throws {
        let binary = try ServerProcess.requiredBinary()
        let app = try TestApp.accounts()
        _ = try app.register("vera")
        _ = try app.register("walt")
        let target = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(target) }
        #expect(try ServerProcess.run(binary, ["backup", target + "/copy", "--data-dir", app.directory]) == 0)
        let copy = try SQLiteStore(directory: target + "/copy", readerCount: 1)
        defer { copy.close() }
        let names = try copy.readNow { database throws(StoreError) in
            try database.query("SELECT username FROM users ORDER BY username") { $0.string(0) }
        }
        #expect(names == ["vera", "walt"])
        #expect(try ServerProcess.run(binary, ["backup", target + "/copy", "--data-dir", app.directory]) == 1,
                "an existing backup is never overwritten")
        let empty = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(empty) }
        #expect(try ServerProcess.run(binary, ["backup", target + "/other", "--data-dir", empty]) == 1, "no database there")
    }

    @Test(.disabled(if: TestDatabase.isPostgres, Comment(rawValue: TestDatabase.sqliteOnly)))
    func backupIncludesUploadsAndRestoreBringsBothBack() throws {
        let binary = try ServerProcess.requiredBinary()
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let kept = patterned(70_000)
        let upload = try app.uploadID(kept, token: ann.token)
        _ = try app.uploadID(patterned(10, seed: 3), token: ann.token)
        let target = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(target) }
        #expect(try ServerProcess.run(binary, ["backup", target + "/b", "--data-dir", app.directory]) == 0)
        let restored = target + "/restored"
        #expect(try ServerProcess.run(binary, ["restore", target + "/b", "--data-dir", restored]) == 0)
        #expect(try ServerProcess.run(binary, ["restore", target + "/b", "--data-dir", restored]) == 1,
                "a data directory with a database is never overwritten")

        let server = try ChatServer(configuration: try .loopback(directory: restored))
        defer { server.shutdown() }
        let now = Clock.wallMilliseconds() / 1000
        let token = server.context.authenticator.codec.sign(AccessClaims(
            subject: ann.id, issuedAt: now, expiresAt: now + 900, tokenID: "r", family: "f\(ann.id)"))
        let client = try TestClient(port: server.http.port)
        client.send("GET /api/v1/uploads/\(upload) HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer \(token)\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.body == kept)
    }
}
