import PaceJSON
import Testing

@Suite("Seed-002 compatibility routes")
struct SeedTwoRouteTests {
    @Test func directGetOrCreateAndOffsetPages() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), eve = try app.makeUser("eve")
        let created = try app.call("POST", "/api/v1/chat/conversations", json: #"{"recipient_id":"\#(bob.id)"}"#, token: ann.token)
        #expect(created.status == 201)
        #expect(created.body["type"]?.stringValue == "direct")
        let id = try #require(created.body["id"]?.stringValue)
        let again = try app.call("POST", "/api/v1/chat/conversations", json: #"{"recipient_id":\#(ann.id)}"#, token: bob.token)
        #expect(again.status == 200)
        #expect(again.body["id"]?.stringValue == id)
        #expect(try app.call("POST", "/api/v1/chat/conversations", json: #"{}"#, token: ann.token).status == 422)
        for body in ["one", "two", "three"] { try app.send(ann, id, body) }
        let page = try app.call("GET", "/api/v1/chat/conversations/\(id)/messages?skip=1&limit=1", token: bob.token)
        #expect(page.status == 200)
        #expect(page.body.arrayValue?.compactMap { $0["body"]?.stringValue } == ["two"])
        let all = try app.call("GET", "/api/v1/chat/conversations/\(id)/messages", token: bob.token)
        #expect(all.body.arrayValue?.count == 3)
        #expect(try app.call("GET", "/api/v1/chat/conversations/\(id)/messages?skip=-1", token: bob.token).status == 422)
        #expect(try app.call("GET", "/api/v1/chat/conversations/\(id)/messages", token: eve.token).status == 404)
    }
}
