import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

@Suite("Per-conversation bans")
struct ConversationBanTests {
    @Test func aBannedMemberIsRemovedAndCannotBeAddedBackUntilUnbanned() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let room = try app.group(ann, [bob, cat])
        let bans = "/api/v1/conversations/\(room)/bans"
        #expect(try app.call("PUT", "\(bans)/\(ann.id)", token: bob.token).status == 403, "a plain member cannot ban")
        #expect(try app.call("PUT", "\(bans)/\(ann.id)", token: ann.token).status == 422, "nor anyone themself")
        #expect(try app.call("PUT", "\(bans)/\(bob.id)", token: ann.token).status == 204)
        #expect(try app.call("GET", "/api/v1/conversations/\(room)", token: bob.token).status == 404)
        let add = #"{"user_id":"\#(bob.id)"}"#
        let refused = try app.call("POST", "/api/v1/conversations/\(room)/members", json: add, token: ann.token)
        #expect(refused.status == 403)
        #expect(refused.body["error"]?["code"]?.stringValue == "banned")
        #expect(try app.call("DELETE", "\(bans)/\(bob.id)", token: cat.token).status == 403)
        #expect(try app.call("DELETE", "\(bans)/\(bob.id)", token: ann.token).status == 204)
        #expect(try app.call("POST", "/api/v1/conversations/\(room)/members", json: add, token: ann.token).status == 201)
    }

    @Test func anAdminBansPlainMembersOnlyAndOutsidersSeeNothing() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let eve = try app.makeUser("eve")
        let room = try app.group(ann, [cat])
        #expect(try app.call("POST", "/api/v1/conversations/\(room)/members", json: #"{"user_id":"\#(bob.id)","role":"admin"}"#,
                             token: ann.token).status == 201)
        let bans = "/api/v1/conversations/\(room)/bans"
        #expect(try app.call("PUT", "\(bans)/\(ann.id)", token: bob.token).status == 403, "an admin cannot ban the owner")
        #expect(try app.call("PUT", "\(bans)/\(eve.id)", token: eve.token).status == 404, "outsiders learn nothing")
        #expect(try app.call("PUT", "\(bans)/\(eve.id)", token: bob.token).status == 204, "a non-member can be banned ahead")
        #expect(try app.call("PUT", "\(bans)/\(cat.id)", token: bob.token).status == 204)
        #expect(try app.call("PUT", "\(bans)/\(cat.id)", token: bob.token).status == 204, "banning twice is idempotent")
    }
}
