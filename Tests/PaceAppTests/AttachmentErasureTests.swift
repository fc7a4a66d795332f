import PaceTestSupport
#if canImport(Glibc)
import Glibc
#endif
import PaceStore
import Testing

@Suite("Deleting a message erases its attachments")
struct AttachmentErasureTests {
    let app: TestApp
    let ann: TestUser
    let bob: TestUser
    let room: String

    init() throws {
        app = try TestApp()
        ann = try app.makeUser("ann")
        bob = try app.makeUser("bob")
        room = try app.group(ann, [bob])
    }

    private func post(_ uploads: [String]) throws -> String {
        let ids = uploads.map { "\"\($0)\"" }.joined(separator: ",")
        let sent = try app.call("POST", "/api/v1/conversations/\(room)/messages",
                                json: #"{"body":"see","attachment_ids":[\#(ids)]}"#, token: ann.token)
        #expect(sent.status == 201)
        return try #require(sent.body["id"]?.stringValue)
    }

    private func delete(_ message: String) throws {
        #expect(try app.request("DELETE", "/api/v1/conversations/\(room)/messages/\(message)", token: ann.token).status == 204)
    }

    /// The erase runs on the pool after the answer: time for a wrong one to happen.
    private static func letThePoolRun() { usleep(300_000) }

    private func download(_ upload: String, as user: TestUser) throws -> Int {
        try app.request("GET", "/api/v1/uploads/\(upload)", token: user.token).status
    }

    @Test func theUploadRowAndItsFileGoAndDownloadsAnswer404() throws {
        let upload = try app.uploadID(patterned(1000), token: ann.token)
        let message = try post([upload])
        #expect(try download(upload, as: bob) == 200)
        #expect(app.contentFiles().count == 1)
        try delete(message)
        #expect(try download(upload, as: ann) == 404, "not even the uploader")
        #expect(try download(upload, as: bob) == 404)
        #expect(try app.uploadRows() == 0)
        #expect(eventually { app.contentFiles().isEmpty })
    }

    @Test func anUploadAnotherLiveMessageCarriesStays() throws {
        let upload = try app.uploadID(patterned(1000), token: ann.token)
        let first = try post([upload])
        _ = try post([upload])
        try delete(first)
        #expect(try download(upload, as: bob) == 200)
        #expect(try app.uploadRows() == 1)
        Self.letThePoolRun()
        #expect(app.contentFiles().count == 1)
    }

    @Test func contentSharedWithAnotherLiveMessagesUploadKeepsItsFile() throws {
        let erased = try app.uploadID(patterned(1000), token: ann.token)
        let kept = try app.uploadID(patterned(1000), token: ann.token)
        let first = try post([erased])
        _ = try post([kept])
        try delete(first)
        #expect(try download(erased, as: ann) == 404)
        #expect(try download(kept, as: bob) == 200)
        Self.letThePoolRun()
        #expect(app.contentFiles().count == 1)
        #expect(try app.request("GET", "/api/v1/uploads/\(kept)", token: bob.token).body == patterned(1000))
    }

    @Test func anAvatarAttachedToADeletedMessageStaysTheAvatar() throws {
        let upload = try app.uploadID(patterned(100), contentType: "image/png", token: ann.token)
        #expect(try app.call("PATCH", "/api/v1/me", json: #"{"avatar_upload_id":"\#(upload)"}"#, token: ann.token).status == 200)
        try delete(try post([upload]))
        #expect(try download(upload, as: bob) == 200)
    }
}
