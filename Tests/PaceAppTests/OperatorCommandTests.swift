#if canImport(Glibc)
import Glibc
#endif
import PaceStore
import PaceTestSupport
import Testing

@Suite("pace users promote and pace backup")
struct OperatorCommandTests {
    @Test func promoteMakesAnAdminBesideARunningServer() throws {
        let binary = try ServerProcess.requiredBinary()
        let app = try TestApp.accounts()
        let account = try app.register("uma")
        #expect(try ServerProcess.run(binary, ["users", "promote", "uma", "--data-dir", app.directory]) == 0)
        #expect(try app.call("GET", "/api/v1/me", token: account.accessToken).body["role"]?.stringValue == "admin")
        #expect(try ServerProcess.run(binary, ["users", "promote", "nobody", "--data-dir", app.directory]) == 1)
        #expect(try ServerProcess.run(binary, ["users", "promote"]) == 1)
    }

    @Test func backupWritesAConsistentCopy() throws {
        let binary = try ServerProcess.requiredBinary()
        let app = try TestApp.accounts()
        _ = try app.register("vera")
        _ = try app.register("walt")
        let target = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(target) }
        #expect(try ServerProcess.run(binary, ["backup", target + "/" + SQLiteStore.fileName, "--data-dir", app.directory]) == 0)
        let copy = try SQLiteStore(directory: target, readerCount: 1)
        defer { copy.close() }
        let names = try copy.readNow { database throws(StoreError) in
            try database.query("SELECT username FROM users ORDER BY username") { $0.string(0) }
        }
        #expect(names == ["vera", "walt"])
        let empty = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(empty) }
        #expect(try ServerProcess.run(binary, ["backup", target + "/other", "--data-dir", empty]) == 1, "no database there")
    }
}
