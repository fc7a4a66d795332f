import PaceStore
import Testing

@Suite("Download authorization")
struct DownloadAuthorizationTests {
    let app: TestApp
    let owner: TestUser
    let member: TestUser
    let stranger: TestUser
    let upload: String

    init() throws {
        app = try TestApp()
        owner = try app.makeUser("owner")
        member = try app.makeUser("member")
        stranger = try app.makeUser("stranger")
        upload = try app.uploadID([1, 2, 3, 4], token: owner.token)
    }

    /// A group of `users` where the owner posted a message carrying the upload.
    private func share(with users: [Int64], deleted: Bool = false) throws {
        let uploadID = try #require(Int64(upload))
        var statements: [(String, [SQLValue])] = [
            ("INSERT INTO conversations (id, type, title, owner_id, created_at) VALUES (7, 'group', 't', ?, 0)", [.integer(owner.id)]),
            ("INSERT INTO messages (id, seq, conversation_id, sender_id, body, created_at, version, deleted) VALUES (9, 1, 7, ?, '', 0, 1, ?)",
             [.integer(owner.id), .integer(deleted ? 1 : 0)]),
            ("INSERT INTO message_attachments (message_id, upload_id, position) VALUES (9, ?, 0)", [.integer(uploadID)]),
        ]
        for user in [owner.id] + users {
            statements.append(("INSERT INTO members (conversation_id, user_id, joined_at) VALUES (7, ?, 0)", [.integer(user)]))
        }
        try app.insert(statements)
    }

    private func status(_ token: String, _ id: String? = nil) throws -> Int {
        try app.request("GET", "/api/v1/uploads/\(id ?? upload)", token: token).status
    }

    @Test func onlyTheUploaderSeesAnUnsharedUpload() throws {
        #expect(try status(owner.token) == 200)
        #expect(try status(member.token) == 404)
        #expect(try status(stranger.token) == 404)
    }

    @Test func membersOfAConversationWhereItWasSharedSeeIt() throws {
        try share(with: [member.id])
        #expect(try status(owner.token) == 200)
        #expect(try status(member.token) == 200)
        #expect(try status(stranger.token) == 404)
    }

    @Test func aDeletedMessageSharesNothing() throws {
        try share(with: [member.id], deleted: true)
        #expect(try status(member.token) == 404)
    }

    @Test func anAvatarIsVisibleToEveryAuthenticatedUser() throws {
        try app.insert([("UPDATE users SET avatar_upload_id = ? WHERE id = ?", [.integer(try #require(Int64(upload))), .integer(owner.id)])])
        #expect(try status(stranger.token) == 200)
        #expect(try app.request("GET", "/api/v1/uploads/\(upload)", token: nil).status == 401)
    }

    @Test(arguments: ["999", "0", "-1", "abc", "1.5", "99999999999999999999"])
    func unknownOrInvalidIdsAre404(_ id: String) throws {
        #expect(try status(owner.token, id) == 404)
    }
}
