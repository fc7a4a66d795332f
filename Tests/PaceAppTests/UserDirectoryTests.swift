import PaceJSON
import Testing

@Suite("User directory")
struct UserDirectoryTests {
    /// Users: alfred, alice, "alan turing" (turing), bob, a_b, axb, zed.
    private func directory() throws -> (TestApp, String) {
        let app = try TestApp.accounts()
        let viewer = try app.register("alfred")
        for name in ["alice", "bob", "a_b", "axb", "zed"] { _ = try app.register(name) }
        _ = try app.register("turing", displayName: "Alan Turing")
        return (app, viewer.accessToken)
    }

    private func usernames(_ body: JSONValue) -> [String] {
        (body["users"]?.arrayValue ?? []).compactMap { $0["username"]?.stringValue }
    }

    @Test func prefixSearchCoversUsernameAndDisplayNameIgnoringCase() throws {
        let (app, token) = try directory()
        let answer = try app.call("GET", "/api/v1/users?query=AL", token: token)
        #expect(answer.status == 200)
        #expect(usernames(answer.body) == ["alfred", "alice", "turing"])
        #expect(answer.body["next_cursor"] == .null)
        #expect(usernames(try app.call("GET", "/api/v1/users?query=Alan%20T", token: token).body) == ["turing"])
        #expect(usernames(try app.call("GET", "/api/v1/users?query=lic", token: token).body) == [], "prefix, not substring")
        #expect(usernames(try app.call("GET", "/api/v1/users", token: token).body).count == 7)
    }

    @Test func likeWildcardsInTheQueryMatchThemselves() throws {
        let (app, token) = try directory()
        #expect(usernames(try app.call("GET", "/api/v1/users?query=a_", token: token).body) == ["a_b"])
        #expect(usernames(try app.call("GET", "/api/v1/users?query=%25", token: token).body) == [])
    }

    @Test func pagesWalkEveryUserOnceInUsernameOrder() throws {
        let (app, token) = try directory()
        for limit in [1, 2, 3, 6, 7, 8] {
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "/api/v1/users?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
                let answer = try app.call("GET", path, token: token)
                try #require(answer.status == 200)
                let page = usernames(answer.body)
                #expect(page.count <= limit)
                seen += page
                cursor = answer.body["next_cursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 20
            #expect(seen == ["a_b", "alfred", "alice", "axb", "bob", "turing", "zed"], "limit \(limit)")
            #expect(pages == (7 + limit - 1) / limit, "limit \(limit): no empty trailing page")
        }
    }

    @Test func cursorsContinueAFilteredSearch() throws {
        let (app, token) = try directory()
        let first = try app.call("GET", "/api/v1/users?query=a&limit=2", token: token)
        #expect(usernames(first.body) == ["a_b", "alfred"])
        let cursor = try #require(first.body["next_cursor"]?.stringValue)
        let second = try app.call("GET", "/api/v1/users?query=a&limit=2&cursor=\(cursor)", token: token)
        #expect(usernames(second.body) == ["alice", "axb"])
        let third = try app.call("GET", "/api/v1/users?query=a&limit=2&cursor=\(try #require(second.body["next_cursor"]?.stringValue))", token: token)
        #expect(usernames(third.body) == ["turing"])
        #expect(third.body["next_cursor"] == .null)
    }

    @Test func invalidLimitsQueriesAndCursorsAreRefused() throws {
        let (app, token) = try directory()
        for limit in ["0", "101", "-1", "abc", "", "1.5"] {
            let answer = try app.call("GET", "/api/v1/users?limit=\(limit)", token: token)
            #expect(answer.status == 422, "limit \(limit)")
            #expect(fields(answer.body) == ["limit"])
        }
        #expect(try app.call("GET", "/api/v1/users?limit=100", token: token).status == 200)
        let longQuery = String(repeating: "q", count: 65)
        #expect(try app.errorCode("GET", "/api/v1/users?query=\(longQuery)", token: token) == (422, "validation_failed"))
        // "!!" is not base64url; "QUJD" is "ABC", not a canonical username; "YQ" is "a", too short.
        for cursor in ["!!", "QUJD", "YQ", "", "%FF"] {
            #expect(try app.errorCode("GET", "/api/v1/users?cursor=\(cursor)", token: token).0 == 400, "cursor \(cursor)")
        }
    }

    @Test func usersByID() throws {
        let (app, token) = try directory()
        let bob = try app.call("GET", "/api/v1/users?query=bob", token: token)
        let id = try #require(bob.body["users"]?.arrayValue?.first?["id"]?.stringValue)
        let answer = try app.call("GET", "/api/v1/users/\(id)", token: token)
        #expect(answer.status == 200)
        #expect(answer.body["username"]?.stringValue == "bob")
        #expect(answer.body["password_hash"] == nil)
        for missing in ["999", "0", "-1", "abc", "1.0", "99999999999999999999"] {
            #expect(try app.errorCode("GET", "/api/v1/users/\(missing)", token: token) == (404, "not_found"), "id \(missing)")
        }
    }

    @Test func everyUserRouteNeedsAToken() throws {
        let app = try TestApp.accounts()
        for path in ["/api/v1/users", "/api/v1/users/1", "/api/v1/me", "/users", "/users/1"] {
            let answer = try app.request("GET", path)
            #expect(answer.status == 401, "\(path)")
            #expect(answer.header("www-authenticate") == "Bearer")
        }
        #expect(try app.request("PATCH", "/api/v1/me", body: Array("{}".utf8)).status == 401)
    }
}
