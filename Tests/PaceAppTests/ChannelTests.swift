import PaceJSON
import PaceStore
import Testing

@Suite("Channels: public conversations, discovery, roles, archiving")
struct ChannelTests {
    private func channel(_ app: TestApp, _ owner: TestUser, _ name: String, extra: String = "") throws -> String {
        let created = try app.call("POST", "/api/v1/conversations",
                                   json: #"{"type":"channel","name":"\#(name)"\#(extra)}"#, token: owner.token)
        #expect(created.status == 201)
        #expect(created.body["type"]?.stringValue == "channel")
        return try #require(created.body["id"]?.stringValue)
    }

    @Test func createdChannelsCarryTheirFieldsAndNamesAreUniqueIgnoringCase() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let created = try app.call("POST", "/api/v1/conversations", json: """
            {"type":"channel","name":"General","topic":"Everything","purpose":"Talk","posting":"admins"}
            """, token: ann.token)
        #expect(created.status == 201)
        #expect(created.body["name"]?.stringValue == "General")
        #expect(created.body["title"]?.stringValue == "General")
        #expect(created.body["topic"]?.stringValue == "Everything")
        #expect(created.body["posting"]?.stringValue == "admins")
        #expect(created.body["archived"]?.boolValue == false)
        #expect(created.body["members"]?[0]?["role"]?.stringValue == "owner")
        let again = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel","name":"gENERAL"}"#,
                                 token: bob.token)
        #expect(again.status == 409)
        #expect(again.body["error"]?["code"]?.stringValue == "channel_name_taken")
        for bad in [#""name":"gener\u0430l""#, #""name":"tab\there""#, #""name":"ok","topic":"\#(String(repeating: "t", count: 10_000))""#,
                    #""name":"ok","topic":"line\nbreak""#, #""name":"ok","posting":"nobody""#, #""topic":"no name""#] {
            let refused = try app.call("POST", "/api/v1/conversations", json: #"{"type":"channel",\#(bad)}"#, token: bob.token)
            #expect(refused.status == 422, "\(bad)")
            #expect(refused.body["error"]?["code"]?.stringValue == "validation_failed")
        }
        let channels = try app.server.context.store.readNow { db throws(StoreError) in
            try db.queryFirst("SELECT count(*) FROM channels", []) { $0.int(0) } ?? -1
        }
        let conversations = try app.server.context.store.readNow { db throws(StoreError) in
            try db.queryFirst("SELECT count(*) FROM conversations", []) { $0.int(0) } ?? -1
        }
        #expect(channels == 1 && conversations == 1, "refusals write nothing")
    }

    @Test func discoveryListsSearchesAndPagesUnarchivedChannels() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        for name in ["alpha", "beta", "gamma", "delta", "alpha-ops"] { _ = try channel(app, ann, name) }
        _ = try app.group(ann, [], title: "alphaprivate")
        let first = try app.call("GET", "/api/v1/conversations/public?limit=2", token: bob.token)
        #expect(first.status == 200)
        #expect(first.body["channels"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["alpha", "alpha-ops"])
        #expect(first.body["channels"]?[0]?["member_count"]?.int64Value == 1)
        #expect(first.body["channels"]?[0]?["joined"]?.boolValue == false)
        let cursor = try #require(first.body["next_cursor"]?.stringValue)
        let second = try app.call("GET", "/api/v1/conversations/public?limit=10&cursor=\(cursor)", token: bob.token)
        #expect(second.body["channels"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["beta", "delta", "gamma"])
        #expect(second.body["next_cursor"]?.isNull == true)
        let search = try app.call("GET", "/api/v1/conversations/public?q=ALPHA", token: bob.token)
        #expect(search.body["channels"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["alpha", "alpha-ops"])
        let wildcard = try app.call("GET", "/api/v1/conversations/public?q=%25", token: bob.token)
        #expect(wildcard.body["channels"]?.arrayValue?.isEmpty == true, "LIKE characters are literal")
        #expect(try app.call("GET", "/api/v1/conversations/public?limit=0", token: bob.token).status == 422)
        #expect(try app.call("GET", "/api/v1/conversations/public").status == 401)
    }

    @Test func usersJoinAndLeaveChannelsButNotPrivateGroups() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let general = try channel(app, ann, "general")
        let secret = try app.group(ann, [], title: "Secret")
        let recorder = EventRecorder(app)
        let joined = try app.call("POST", "/api/v1/conversations/\(general)/join", token: bob.token)
        #expect(joined.status == 200)
        #expect(joined.body["members"]?.arrayValue?.count == 2)
        #expect(recorder.all.count == 1, "a join is a conversation.updated")
        #expect(try app.call("POST", "/api/v1/conversations/\(general)/join", token: bob.token).status == 200)
        #expect(recorder.all.count == 1, "joining twice changes nothing")
        #expect(try app.call("POST", "/api/v1/conversations/\(secret)/join", token: bob.token).status == 404)
        #expect(try app.call("POST", "/api/v1/conversations/999999/join", token: bob.token).status == 404)
        try app.send(bob, general, "hi")
        let listed = try app.call("GET", "/api/v1/conversations/public", token: bob.token)
        #expect(listed.body["channels"]?[0]?["joined"]?.boolValue == true)
        #expect(try app.call("POST", "/api/v1/conversations/\(general)/leave", token: bob.token).status == 204)
        #expect(try app.call("GET", "/api/v1/conversations/\(general)", token: bob.token).status == 404)
    }

    @Test func adminsGovernSettingsPostingAndMutes() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), ada = try app.makeUser("ada"), bob = try app.makeUser("bob")
        let news = try channel(app, ann, "news")
        try app.add(ada, to: news, as: "admin", by: ann)
        #expect(try app.call("POST", "/api/v1/conversations/\(news)/join", token: bob.token).status == 200)
        let path = "/api/v1/conversations/\(news)/channel"
        #expect(try app.call("PATCH", path, json: #"{"topic":"x"}"#, token: bob.token).status == 403)
        let updated = try app.call("PATCH", path, json: #"{"topic":"Daily news","posting":"admins"}"#, token: ada.token)
        #expect(updated.status == 200)
        #expect(updated.body["topic"]?.stringValue == "Daily news")
        let posted = try app.call("POST", "/api/v1/conversations/\(news)/messages", json: #"{"body":"me too"}"#, token: bob.token)
        #expect(posted.status == 403)
        #expect(posted.body["error"]?["code"]?.stringValue == "posting_restricted")
        try app.send(ada, news, "announcement")
        #expect(try app.call("PATCH", path, json: #"{"posting":"everyone"}"#, token: ann.token).status == 200)
        try app.send(bob, news, "now I may")
        let mute = "/api/v1/conversations/\(news)/members/\(bob.id)"
        #expect(try app.call("PATCH", mute, json: #"{"muted_until":"2999-01-01T00:00:00Z"}"#, token: bob.token).status == 403)
        let muted = try app.call("PATCH", mute, json: #"{"muted_until":"2999-01-01T00:00:00Z"}"#, token: ada.token)
        #expect(muted.status == 200)
        let silenced = try app.call("POST", "/api/v1/conversations/\(news)/messages", json: #"{"body":"x"}"#, token: bob.token)
        #expect(silenced.body["error"]?["code"]?.stringValue == "member_muted")
        #expect(try app.call("PATCH", mute, json: #"{"muted_until":null}"#, token: ada.token).status == 200)
        try app.send(bob, news, "back")
        #expect(try app.call("PATCH", "/api/v1/conversations/\(news)/members/\(ann.id)",
                             json: #"{"muted_until":"2999-01-01T00:00:00Z"}"#, token: ada.token).status == 403)
        let renamed = try app.call("PATCH", path, json: #"{"name":"News Desk"}"#, token: ann.token)
        #expect(renamed.body["title"]?.stringValue == "News Desk")
        #expect(try app.call("PATCH", "/api/v1/conversations/\(news)", json: #"{"title":"x"}"#, token: ann.token).status == 422)
    }

    @Test func archivedChannelsAreReadOnlyAndHiddenFromDiscovery() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob"), cat = try app.makeUser("cat")
        let old = try channel(app, ann, "old")
        #expect(try app.call("POST", "/api/v1/conversations/\(old)/join", token: bob.token).status == 200)
        let message = try #require(app.send(bob, old, "history")["id"]?.stringValue)
        #expect(try app.call("POST", "/api/v1/conversations/\(old)/archive", token: bob.token).status == 403)
        let archived = try app.call("POST", "/api/v1/conversations/\(old)/archive", token: ann.token)
        #expect(archived.body["archived"]?.boolValue == true)
        let posted = try app.call("POST", "/api/v1/conversations/\(old)/messages", json: #"{"body":"x"}"#, token: ann.token)
        #expect(posted.status == 409)
        #expect(posted.body["error"]?["code"]?.stringValue == "channel_archived")
        #expect(try app.call("PATCH", "/api/v1/conversations/\(old)/messages/\(message)", json: #"{"body":"y"}"#,
                             token: bob.token).status == 409)
        #expect(try app.call("PUT", "/api/v1/conversations/\(old)/messages/\(message)/reactions/%F0%9F%91%8D",
                             token: bob.token).status == 409)
        #expect(try app.call("POST", "/api/v1/conversations/\(old)/join", token: cat.token).status == 409)
        #expect(try app.call("PATCH", "/api/v1/conversations/\(old)/channel", json: #"{"topic":"t"}"#, token: ann.token).status == 409)
        let listed = try app.call("GET", "/api/v1/conversations/public", token: cat.token)
        #expect(listed.body["channels"]?.arrayValue?.isEmpty == true)
        let history = try app.call("GET", "/api/v1/conversations/\(old)/messages", token: bob.token)
        #expect(history.body["messages"]?[0]?["body"]?.stringValue == "history")
        #expect(try app.call("POST", "/api/v1/conversations/\(old)/unarchive", token: ann.token).body["archived"]?.boolValue == false)
        try app.send(ann, old, "open again")
    }

    @Test func channelChangesReachMembersLiveAndOnResume() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let general = try channel(app, ann, "general")
        #expect(try app.call("POST", "/api/v1/conversations/\(general)/join", token: bob.token).status == 200)
        let since = try #require(app.send(ann, general, "first")["seq"]?.int64Value)
        let live = try ChatClient(app, token: bob.token)
        #expect(live.next("hello") != nil)
        #expect(try app.call("PATCH", "/api/v1/conversations/\(general)/channel", json: #"{"topic":"Fresh"}"#,
                             token: ann.token).status == 200)
        // The join's own update may still be on its way to the new connection: skip it.
        var topic: String?
        for _ in 0..<3 where topic != "Fresh" { topic = live.next("conversation.updated")?["conversation"]?["topic"]?.stringValue }
        #expect(topic == "Fresh")
        let resumed = try ChatClient(app, token: bob.token, query: "since=\(since)")
        #expect(resumed.next("hello") != nil)
        let replayed = try #require(resumed.next("conversation.updated"))
        #expect(replayed["conversation"]?["topic"]?.stringValue == "Fresh")
        #expect(replayed["conversation"]?["type"]?.stringValue == "channel")
    }
}
