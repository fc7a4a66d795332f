import PaceJSON
import PaceStore
import Testing

@Suite("Conversations: rename and membership")
struct MembershipTests {
    /// A group: ann owns it, ada is an admin, bob and cat are members; eve is outside.
    private struct Cast {
        let app: TestApp
        let ann, ada, bob, cat, eve: TestUser
        let group: String

        init() throws {
            app = try TestApp()
            ann = try app.makeUser("ann"); ada = try app.makeUser("ada"); bob = try app.makeUser("bob")
            cat = try app.makeUser("cat"); eve = try app.makeUser("eve")
            group = try app.group(ann, [bob, cat])
            try app.add(ada, to: group, as: "admin", by: ann)
        }

        func roles() throws -> [String: String] {
            let show = try app.call("GET", "/api/v1/conversations/\(group)", token: ann.token)
            var roles: [String: String] = [:]
            for member in show.body["members"]?.arrayValue ?? [] {
                roles[member["user_id"]?.stringValue ?? ""] = member["role"]?.stringValue
            }
            return roles
        }

        func remove(_ user: TestUser, by: TestUser) throws -> Int {
            try app.call("DELETE", "/api/v1/conversations/\(group)/members/\(user.id)", token: by.token).status
        }
    }

    @Test func renameIsForOwnerAndAdmin() throws {
        let cast = try Cast()
        let path = "/api/v1/conversations/\(cast.group)"
        let byOwner = try cast.app.call("PATCH", path, json: #"{"title":"Renamed"}"#, token: cast.ann.token)
        #expect(byOwner.status == 200)
        #expect(byOwner.body["title"]?.stringValue == "Renamed")
        #expect(try cast.app.call("PATCH", path, json: #"{"title":"By admin"}"#, token: cast.ada.token).status == 200)
        let byMember = try cast.app.call("PATCH", path, json: #"{"title":"Nope"}"#, token: cast.bob.token)
        #expect(byMember.status == 403)
        #expect(byMember.body["error"]?["code"]?.stringValue == "forbidden")
        #expect(try cast.app.call("PATCH", path, json: #"{"title":"Nope"}"#, token: cast.eve.token).status == 404)
        #expect(try cast.app.call("PATCH", path, json: #"{"title":""}"#, token: cast.ann.token).status == 422)
        let direct = try cast.app.direct(cast.ann, cast.bob)
        let renameDirect = try cast.app.call("PATCH", "/api/v1/conversations/\(direct)", json: #"{"title":"x"}"#,
                                             token: cast.ann.token)
        #expect(renameDirect.status == 422)
    }

    @Test func addingMembersFollowsRoles() throws {
        let cast = try Cast()
        let app = cast.app
        let path = "/api/v1/conversations/\(cast.group)/members"
        let dan = try app.makeUser("dan"), fay = try app.makeUser("fay")
        #expect(try app.call("POST", path, json: #"{"user_id":"\#(dan.id)"}"#, token: cast.bob.token).status == 403)
        #expect(try app.call("POST", path, json: #"{"user_id":"\#(dan.id)"}"#, token: cast.eve.token).status == 404)
        #expect(try app.call("POST", path, json: #"{"user_id":"\#(dan.id)","role":"admin"}"#, token: cast.ada.token).status == 403)
        let byAdmin = try app.call("POST", path, json: #"{"user_id":"\#(dan.id)"}"#, token: cast.ada.token)
        #expect(byAdmin.status == 201)
        #expect(byAdmin.body["members"]?.arrayValue?.count == 5)
        let again = try app.call("POST", path, json: #"{"user_id":"\#(dan.id)"}"#, token: cast.ann.token)
        #expect(again.status == 409)
        #expect(again.body["error"]?["code"]?.stringValue == "already_member")
        #expect(try app.call("POST", path, json: #"{"user_id":"\#(fay.id)","role":"owner"}"#, token: cast.ann.token).status == 422)
        #expect(try app.call("POST", path, json: #"{"user_id":"777777"}"#, token: cast.ann.token).status == 422)
        #expect(try app.call("POST", path, json: #"{}"#, token: cast.ann.token).status == 422)
        #expect(try app.call("POST", path, json: #"{"user_id":"\#(fay.id)","role":"admin"}"#, token: cast.ann.token).status == 201)
        #expect(try cast.roles()[fay.idString] == "admin")
        let direct = try app.direct(cast.ann, cast.bob)
        #expect(try app.call("POST", "/api/v1/conversations/\(direct)/members", json: #"{"user_id":"\#(dan.id)"}"#,
                             token: cast.ann.token).status == 422)
    }

    @Test func removingMembersFollowsRoles() throws {
        let cast = try Cast()
        #expect(try cast.remove(cast.cat, by: cast.bob) == 403, "a member removes no one else")
        #expect(try cast.remove(cast.ann, by: cast.ada) == 403, "an admin cannot remove the owner")
        #expect(try cast.remove(cast.cat, by: cast.eve) == 404)
        #expect(try cast.remove(cast.eve, by: cast.ann) == 404, "not a member")
        #expect(try cast.remove(cast.cat, by: cast.ada) == 204)
        #expect(try cast.remove(cast.ada, by: cast.ann) == 204)
        #expect(try cast.roles().keys.sorted() == [cast.ann.idString, cast.bob.idString].sorted())
        let gone = try cast.app.call("GET", "/api/v1/conversations/\(cast.group)", token: cast.cat.token)
        #expect(gone.status == 404)
        let direct = try cast.app.direct(cast.ann, cast.bob)
        #expect(try cast.app.call("DELETE", "/api/v1/conversations/\(direct)/members/\(cast.bob.id)",
                                  token: cast.bob.token).status == 422)
    }

    @Test func anAdminCannotRemoveAnotherAdmin() throws {
        let cast = try Cast()
        let dan = try cast.app.makeUser("dan")
        try cast.app.add(dan, to: cast.group, as: "admin", by: cast.ann)
        #expect(try cast.remove(dan, by: cast.ada) == 403)
        #expect(try cast.remove(dan, by: cast.ann) == 204)
    }

    @Test func anOwnerLeavingHandsOverToTheOldestAdminElseTheOldestMember() throws {
        let cast = try Cast()
        #expect(try cast.remove(cast.ann, by: cast.ann) == 204)
        #expect(try cast.roles()[cast.ada.idString] == nil)
        let afterOwner = try cast.app.call("GET", "/api/v1/conversations/\(cast.group)", token: cast.ada.token)
        let roles = Dictionary(uniqueKeysWithValues: (afterOwner.body["members"]?.arrayValue ?? []).map {
            ($0["user_id"]?.stringValue ?? "", $0["role"]?.stringValue ?? "")
        })
        #expect(roles == [cast.ada.idString: "owner", cast.bob.idString: "member", cast.cat.idString: "member"])
        #expect(try cast.remove(cast.ada, by: cast.ada) == 204)
        let oldest = min(cast.bob.id, cast.cat.id)
        let show = try cast.app.call("GET", "/api/v1/conversations/\(cast.group)", token: cast.bob.token)
        let owner = (show.body["members"]?.arrayValue ?? []).first { $0["role"]?.stringValue == "owner" }
        #expect(owner?["user_id"]?.stringValue == String(oldest))
        #expect(try cast.remove(cast.bob, by: cast.bob) == 204)
        #expect(try cast.remove(cast.cat, by: cast.cat) == 204, "the last member may leave")
        #expect(try cast.app.call("GET", "/api/v1/conversations/\(cast.group)", token: cast.cat.token).status == 404)
    }

    @Test func aGroupHasAtMost1000Members() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann")
        let first = try app.server.context.store.writeNow { db throws(StoreError) in
            try db.query("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                INSERT INTO users (username, display_name, password_hash, created_at)
                SELECT 'bulk' || i, 'Bulk', 'x', 0 FROM n RETURNING id
                """) { $0.int64(0) }.min() ?? 0
        }
        let ids = (first..<(first + 1000)).map { "\"\($0)\"" }
        let tooMany = try app.call("POST", "/api/v1/conversations",
                                   json: #"{"type":"group","title":"Big","member_ids":[\#(ids.joined(separator: ","))]}"#,
                                   token: ann.token)
        #expect(tooMany.status == 422)
        let full = try app.call("POST", "/api/v1/conversations",
                                json: #"{"type":"group","title":"Big","member_ids":[\#(ids.dropLast().joined(separator: ","))]}"#,
                                token: ann.token)
        #expect(full.status == 201)
        #expect(full.body["members"]?.arrayValue?.count == 1000)
        let group = try #require(full.body["id"]?.stringValue)
        let one = try app.call("POST", "/api/v1/conversations/\(group)/members", json: #"{"user_id":\#(ids[999])}"#,
                               token: ann.token)
        #expect(one.status == 409)
        #expect(one.body["error"]?["code"]?.stringValue == "conversation_full")
    }
}
