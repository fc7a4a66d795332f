#if canImport(Glibc)
import Glibc
#endif
import PaceJSON
import PaceSystem
import PaceTestSupport
import Synchronization
import Testing

/// The PostgreSQL store's promises that need real `pace` processes: refusing to start without
/// its database, several instances writing one conversation without holes or reordering, and
/// riding out a database restart.
@Suite("PostgreSQL faults")
struct PostgresFaultTests {
    /// A closed port: `pace` says it cannot open the database and exits 1, without serving.
    @Test func postgresDownAtStartExitsNonZeroWithAClearMessage() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let status = try ServerProcess.run(binary, ["serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", directory],
                                           environment: ["PACE_DATABASE_URL": "postgres://pace@127.0.0.1:1/pace"],
                                           errorPath: directory + "/stderr")
        #expect(status == 1)
        let message = FileContents.text(directory + "/stderr") ?? ""
        #expect(message.contains("pace: cannot open the database: PostgreSQL unavailable:"), "\(message)")
    }

    /// `pace migrate` on whichever store the tests use: it applies every migration once, then
    /// finds the schema up to date.
    @Test func migrateAppliesTheMissingMigrationsOnce() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let environment = try TestDatabase.serverEnvironment([:])
        let output = directory + "/out"
        #expect(try ServerProcess.run(binary, ["migrate", "--data-dir", directory + "/data"], environment: environment,
                                      outputPath: output) == 0)
        #expect(FileContents.text(output)?.hasPrefix("applied: 0001_initial.sql, 0002_uploads.sql") == true)
        #expect(try ServerProcess.run(binary, ["migrate", "--data-dir", directory + "/data"], environment: environment,
                                      outputPath: output) == 0)
        #expect(FileContents.text(output) == "the schema is up to date\n")
    }

    /// Four `pace migrate` at once on one empty schema, as instances starting together: the
    /// advisory lock lets one apply the migrations and the others find them applied.
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PACE_TEST_DATABASE_URL"))
    func instancesMigratingTogetherApplyEachMigrationOnce() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let environment = try TestDatabase.serverEnvironment([:])
        let statuses = Mutex<[Int32]>([])
        let runners = try (0..<4).map { index in
            try OSThread(name: "pg-migrate-\(index)") {
                let status = (try? ServerProcess.run(binary, ["migrate"], environment: environment,
                                                     outputPath: directory + "/out\(index)")) ?? -1
                statuses.withLock { $0.append(status) }
            }
        }
        runners.forEach { $0.join() }
        #expect(statuses.withLock { $0 } == [0, 0, 0, 0])
        let outputs = (0..<4).map { FileContents.text(directory + "/out\($0)") ?? "" }
        #expect(outputs.filter { $0.hasPrefix("applied: 0001_initial.sql") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0 == "the schema is up to date\n" }.count == 3, "\(outputs)")
    }

    /// Three `pace` processes on one database, each with a sender posting to the same group while
    /// a reader pages its history: the history ends with contiguous seqs, and every read saw a
    /// prefix of it (never seq N+1 without seq N).
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PACE_TEST_DATABASE_URL"))
    func threeInstancesWriteOneConversationInSeqOrder() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let environment = try TestDatabase.serverEnvironment(fastAccounts)
        // One data directory: the instances share the signing key and the uploads, as in production.
        let servers = try (0..<3).map { _ in try ServerProcess(binary: binary, dataDirectory: directory, environment: environment) }
        defer { servers.forEach { $0.kill() } }
        let accounts = try (0..<3).map { index in
            try TestAccount(httpCall(port: servers[index].port, "POST", "/api/v1/auth/register",
                                     json: #"{"username": "writer\#(index)", "password": "password123"}"#).body)
        }
        let created = try httpCall(port: servers[0].port, "POST", "/api/v1/conversations",
                                   json: #"{"type": "group", "title": "t", "member_ids": ["\#(accounts[1].id)", "\#(accounts[2].id)"]}"#,
                                   token: accounts[0].accessToken)
        let room = try #require(created.body["id"]?.stringValue)
        let ports = servers.map(\.port)
        let perSender = 60
        let reads = Mutex<[[Int64]]>([])
        let done = Atomic<Bool>(false)
        let reader = try OSThread(name: "pg-order-reader") {
            var index = 0
            while !done.load(ordering: .relaxed) {
                index += 1
                if let page = try? httpCall(port: ports[index % 3], "GET", "/api/v1/conversations/\(room)/messages?after=0&limit=200",
                                            token: accounts[index % 3].accessToken), page.status == 200 {
                    let seqs = (page.body["messages"]?.arrayValue ?? []).compactMap { $0["seq"]?.int64Value }
                    reads.withLock { $0.append(seqs) }
                }
            }
        }
        let senders = try (0..<3).map { sender in
            try OSThread(name: "pg-order-sender-\(sender)") {
                for index in 0..<perSender {
                    _ = try? httpCall(port: ports[sender], "POST", "/api/v1/conversations/\(room)/messages",
                                      json: #"{"body": "m \#(sender) \#(index)"}"#, token: accounts[sender].accessToken)
                }
            }
        }
        senders.forEach { $0.join() }
        done.store(true, ordering: .relaxed)
        reader.join()
        let final = try httpCall(port: servers[2].port, "GET", "/api/v1/conversations/\(room)/messages?after=0&limit=200",
                                 token: accounts[2].accessToken)
        let history = (final.body["messages"]?.arrayValue ?? []).compactMap { $0["seq"]?.int64Value }
        #expect(history.count == 3 * perSender)
        let first = try #require(history.first)
        #expect(history == Array(first..<(first + Int64(history.count))), "holes or reordering: \(history)")
        let observed = reads.withLock { $0 }
        #expect(observed.count > 3)
        for seqs in observed {
            #expect(seqs == Array(history.prefix(seqs.count)), "a read that is not a prefix: \(seqs)")
        }
    }

    /// The cluster is stopped under load and started again: /readyz turns 503, sends get 503 with
    /// Retry-After (never a 201 for a message that is not stored), `pace` reconnects by itself,
    /// and every acknowledged message is in the history afterwards.
    @Test(.enabled(if: TestDatabase.isPostgres, "needs PACE_TEST_DATABASE_URL"))
    func aRestartedDatabaseIsRiddenOutAndNothingAcknowledgedIsLost() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        // The cluster runs as the `postgres` user when the tests run as root: it must reach its directory.
        chmod(directory, 0o755)
        let cluster = PrivateCluster(directory: directory + "/pg")
        defer {
            cluster.stop()
            TemporaryDirectory.remove(directory)
        }
        let url = try cluster.start()
        let server = try ServerProcess(binary: binary, dataDirectory: directory + "/data",
                                       environment: fastAccounts.merging(["PACE_DATABASE_URL": url, "PACE_PG_POOL": "2"]) { $1 })
        defer { server.kill() }
        let port = server.port
        let account = try TestAccount(httpCall(port: port, "POST", "/api/v1/auth/register",
                                               json: #"{"username": "steady", "password": "password123"}"#).body)
        let room = try #require(try httpCall(port: port, "POST", "/api/v1/conversations",
                                             json: #"{"type": "group", "title": "t", "member_ids": []}"#,
                                             token: account.accessToken).body["id"]?.stringValue)
        let acknowledged = Mutex<[String]>([])
        let refused = Mutex<[String?]>([])
        let done = Atomic<Bool>(false)
        let sender = try OSThread(name: "pg-restart-sender") {
            var index = 0
            while !done.load(ordering: .relaxed) {
                index += 1
                let client = "c\(index)"
                guard let answer = try? Self.call(port, "POST", "/api/v1/conversations/\(room)/messages",
                                                  json: #"{"body": "n \#(index)", "client_id": "\#(client)"}"#,
                                                  token: account.accessToken) else { continue }
                if answer.status == 201 { acknowledged.withLock { $0.append(client) } }
                else if answer.status == 503 { refused.withLock { $0.append(answer.header("retry-after")) } }
                else { Issue.record("unexpected status \(answer.status)") }
            }
        }
        // pthread_join twice is undefined behaviour: the early-exit path and the normal path share one stop.
        let joined = Mutex<Bool>(false)
        let stopSender = {
            done.store(true, ordering: .relaxed)
            if joined.withLock({ was in defer { was = true }; return !was }) { sender.join() }
        }
        defer { stopSender() }
        #expect(eventually { acknowledged.withLock { $0.count } >= 50 })
        cluster.stop()
        #expect(eventually { (try? Self.call(port, "GET", "/readyz"))?.status == 503 })
        #expect(eventually { refused.withLock { $0.count } >= 3 })
        _ = try cluster.start()
        let before = acknowledged.withLock { $0.count }
        #expect(eventually(milliseconds: 15_000) { (try? Self.call(port, "GET", "/readyz"))?.status == 200 })
        #expect(eventually(milliseconds: 15_000) { acknowledged.withLock { $0.count } >= before + 50 })
        stopSender()
        #expect(refused.withLock { $0.allSatisfy { $0 != nil } }, "every 503 carries Retry-After")
        var stored: Set<String> = []
        var after = "0"
        while true {
            let page = try httpCall(port: port, "GET", "/api/v1/conversations/\(room)/messages?after=\(after)&limit=200",
                                    token: account.accessToken)
            let messages = page.body["messages"]?.arrayValue ?? []
            for message in messages { if let client = message["client_id"]?.stringValue { stored.insert(client) } }
            guard page.body["has_more"]?.boolValue == true, let last = messages.last?["seq"]?.int64Value else { break }
            after = String(last)
        }
        let lost = acknowledged.withLock { $0 }.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(5))")
    }

    private static func call(_ port: UInt16, _ method: String, _ path: String, json: String? = nil,
                             token: String? = nil) throws -> TestResponse {
        let client = try TestClient(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let body = Array((json ?? "").utf8)
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        client.send(Array((head + "\r\n").utf8) + body)
        guard let response = client.readResponse() else { throw ServerProcess.Failure("no response to \(method) \(path)") }
        return response
    }
}

/// A PostgreSQL cluster of the test's own (Tests/support/pg.sh with PACE_PG_DIR), so stopping it
/// disturbs no other test. Restarts keep the port.
struct PrivateCluster {
    let directory: String

    func start() throws -> String {
        let status = try ServerProcess.run("/bin/bash", ["Tests/support/pg.sh", "start"],
                                           environment: ["PACE_PG_DIR": directory, "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"])
        guard status == 0 else { throw ServerProcess.Failure("pg.sh start failed: \(status)") }
        guard let url = FileContents.text(directory + "/url") else { throw ServerProcess.Failure("pg.sh wrote no URL") }
        return url.trimmingSuffix { $0 == "\n" }
    }

    func stop() {
        _ = try? ServerProcess.run("/bin/bash", ["Tests/support/pg.sh", "stop"],
                                   environment: ["PACE_PG_DIR": directory, "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"])
    }
}

private extension String {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var text = self
        while let last = text.last, predicate(last) { text.removeLast() }
        return text
    }
}
