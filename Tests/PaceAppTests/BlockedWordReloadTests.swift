#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceTestSupport
import Testing

@Suite("Moderation: the word list reloads without a restart")
struct BlockedWordReloadTests {
    private func write(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, text.utf8.count) }
        close(fd)
    }

    @Test func aReloadSwapsTheListAndAFailedOneKeepsIt() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let path = directory + "/words.txt"
        write("darn\n", to: path)
        let app = try TestApp(environment: ["PACE_BLOCKED_WORDS_FILE": path])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let messages = "/api/v1/conversations/\(chat)/messages"
        #expect(try app.call("POST", messages, json: #"{"body":"heck"}"#, token: ann.token).status == 201)
        write("heck\n", to: path)
        #expect(app.server.reloadBlockedWords())
        #expect(try app.call("POST", messages, json: #"{"body":"heck"}"#, token: ann.token).status == 422)
        #expect(try app.call("POST", messages, json: #"{"body":"darn"}"#, token: ann.token).status == 201)
        unlink(path)
        #expect(!app.server.reloadBlockedWords())
        #expect(try app.call("POST", messages, json: #"{"body":"heck!"}"#, token: ann.token).status == 422, "still in force")
    }
}
