#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

@Suite("Moderation: blocked words")
struct ModerationTests {
    @Test func wholeWordsAndPhrasesCaseInsensitively() {
        let words = BlockedWords(entries: ["darn", "Heck", "no way", "f*ck"])
        #expect(words.blocks("well DARN it"))
        #expect(words.blocks("heck!"))
        #expect(words.blocks("No   way, really"))
        #expect(words.blocks("f*ck"))
        #expect(!words.blocks("darning socks"))
        #expect(!words.blocks("checkered"))
        #expect(words.blocks("no, way"), "punctuation between the words of a phrase does not matter")
        #expect(!words.blocks("no other way"))
        #expect(!BlockedWords(entries: []).blocks("darn"))
    }

    @Test func blockedMessagesAndEditsAreRefused() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let path = directory + "/blocked.txt"
        let text = "# comment\nDarn\n\n  spam  \n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, text.utf8.count) }
        close(fd)
        let app = try TestApp(environment: ["PACE_BLOCKED_WORDS_FILE": path])
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        let refused = try app.call("POST", "/api/v1/conversations/\(chat)/messages", json: #"{"body":"oh darn."}"#,
                                   token: ann.token)
        #expect(refused.status == 422)
        #expect(refused.body["error"]?["code"]?.stringValue == "content_blocked")
        let fine = try app.send(ann, chat, "darned comment")
        let edit = try app.call("PATCH", "/api/v1/conversations/\(chat)/messages/\(fine["id"]?.stringValue ?? "")",
                                json: #"{"body":"SPAM"}"#, token: ann.token)
        #expect(edit.status == 422)
        #expect(edit.body["error"]?["code"]?.stringValue == "content_blocked")
    }

    @Test func anUnreadableListStopsTheServer() {
        #expect(throws: (any Error).self) { try TestApp(environment: ["PACE_BLOCKED_WORDS_FILE": "/nonexistent/words"]) }
    }
}
