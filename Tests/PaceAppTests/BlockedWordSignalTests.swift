#if canImport(Glibc)
import Glibc
#endif
import PaceJSON
import PaceSystem
import PaceTestSupport
import Testing

@Suite("SIGHUP word list reload")
struct BlockedWordSignalTests {
    private func write(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, text.utf8.count) }
        close(fd)
    }

    /// The real binary: after SIGHUP a word added to the file is refused, with no restart.
    @Test func sighupReloadsTheWordListOfARunningServer() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let words = directory + "/words.txt"
        write("darn\n", to: words)
        let server = try ServerProcess(binary: binary, dataDirectory: directory + "/data",
                                       environment: try TestDatabase.serverEnvironment(
                                           ["PACE_BLOCKED_WORDS_FILE": words, "PACE_TEST_FAST_HASHING": "1",
                                            "PACE_RATE_LIMITS": "off", "PACE_LOG_LEVEL": "warn"]),
                                       logPath: directory + "/server.log")
        defer { server.kill() }
        func register(_ name: String) throws -> JSONValue {
            try httpCall(port: server.port, "POST", "/api/v1/auth/register",
                         json: #"{"username":"\#(name)","password":"password123"}"#).body
        }
        let ann = try register("ann"), bob = try register("bob")
        let token = try #require(ann["access_token"]?.stringValue)
        let bobID = try #require(bob["user"]?["id"]?.stringValue)
        let chat = try httpCall(port: server.port, "POST", "/api/v1/conversations",
                                json: #"{"type":"direct","member_ids":["\#(bobID)"]}"#, token: token)
        let messages = "/api/v1/conversations/\(try #require(chat.body["id"]?.stringValue))/messages"
        func send(_ body: String) throws -> Int {
            try httpCall(port: server.port, "POST", messages, json: #"{"body":"\#(body)"}"#, token: token).status
        }
        #expect(try send("darn") == 422)
        #expect(try send("heck") == 201)
        write("heck\n", to: words)
        #expect(try send("heck") == 201, "nothing changes before the signal")
        _ = kill(server.pid, SIGHUP)
        let deadline = Clock.monotonicMilliseconds() + 3_000
        var status = 0
        while Clock.monotonicMilliseconds() < deadline {
            status = try send("heck")
            if status == 422 { break }
            usleep(20_000)
        }
        #expect(status == 422)
        #expect(try send("darn") == 201, "the old list is gone")
    }
}
