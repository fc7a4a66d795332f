import PaceJSON
import Testing

@Suite("Messages: history pages")
struct MessageHistoryTests {
    /// A direct conversation with `count` messages; returns it and their seqs, ascending.
    private func seeded(_ app: TestApp, count: Int) throws -> (TestUser, String, [Int64]) {
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let chat = try app.direct(ann, bob)
        var seqs: [Int64] = []
        for index in 0..<count { seqs.append(try #require(try app.send(ann, chat, "m\(index)")["seq"]?.int64Value)) }
        return (ann, chat, seqs)
    }

    private func page(_ app: TestApp, _ user: TestUser, _ chat: String, _ query: String) throws -> ([Int64], Bool) {
        let answer = try app.call("GET", "/api/v1/conversations/\(chat)/messages\(query)", token: user.token)
        #expect(answer.status == 200)
        let seqs = (answer.body["messages"]?.arrayValue ?? []).compactMap { $0["seq"]?.int64Value }
        return (seqs, answer.body["has_more"]?.boolValue ?? true)
    }

    @Test func anEmptyConversationHasAnEmptyPage() throws {
        let app = try TestApp()
        let (ann, chat, _) = try seeded(app, count: 0)
        let (seqs, more) = try page(app, ann, chat, "")
        #expect(seqs.isEmpty)
        #expect(!more)
    }

    @Test func latestPageIsAscendingAndHasMoreOnlyBeyondTheLimit() throws {
        let app = try TestApp()
        let (ann, chat, all) = try seeded(app, count: 7)
        let exact = try page(app, ann, chat, "?limit=7")
        #expect(exact.0 == all)
        #expect(!exact.1)
        let latest = try page(app, ann, chat, "?limit=3")
        #expect(latest.0 == Array(all[4...]))
        #expect(latest.1)
        let older = try page(app, ann, chat, "?limit=3&before=\(all[4])")
        #expect(older.0 == Array(all[1...3]))
        #expect(older.1)
        let oldest = try page(app, ann, chat, "?limit=3&before=\(all[1])")
        #expect(oldest.0 == [all[0]])
        #expect(!oldest.1)
        let none = try page(app, ann, chat, "?before=\(all[0])")
        #expect(none.0.isEmpty)
        #expect(!none.1)
    }

    @Test func afterPagesForwardAndBothBoundsPageBetween() throws {
        let app = try TestApp()
        let (ann, chat, all) = try seeded(app, count: 6)
        let first = try page(app, ann, chat, "?after=0&limit=2")
        #expect(first.0 == Array(all[0...1]))
        #expect(first.1)
        let rest = try page(app, ann, chat, "?after=\(all[1])&limit=4")
        #expect(rest.0 == Array(all[2...5]))
        #expect(!rest.1)
        let end = try page(app, ann, chat, "?after=\(all[5])")
        #expect(end.0.isEmpty)
        #expect(!end.1)
        let between = try page(app, ann, chat, "?after=\(all[0])&before=\(all[5])&limit=2")
        #expect(between.0 == Array(all[1...2]))
        #expect(between.1)
        let whole = try page(app, ann, chat, "?after=\(all[0])&before=\(all[5])")
        #expect(whole.0 == Array(all[1...4]))
        #expect(!whole.1)
        let empty = try page(app, ann, chat, "?after=\(all[3])&before=\(all[2])")
        #expect(empty.0.isEmpty)
    }

    @Test func theDefaultLimitIs50AndTheMaximum200() throws {
        let app = try TestApp()
        let (ann, chat, all) = try seeded(app, count: 51)
        let latest = try page(app, ann, chat, "")
        #expect(latest.0 == Array(all[1...]))
        #expect(latest.1)
        let most = try page(app, ann, chat, "?limit=200")
        #expect(most.0 == all)
        #expect(!most.1)
    }

    @Test(arguments: ["?limit=0", "?limit=201", "?limit=x", "?limit=-1", "?before=-5", "?after=abc", "?before=1.5"])
    func invalidParametersAre422(query: String) throws {
        let app = try TestApp()
        let (ann, chat, _) = try seeded(app, count: 1)
        let answer = try app.call("GET", "/api/v1/conversations/\(chat)/messages\(query)", token: ann.token)
        #expect(answer.status == 422)
        #expect(answer.body["error"]?["code"]?.stringValue == "validation_failed")
    }

    @Test func deletedMessagesKeepTheirPlace() throws {
        let app = try TestApp()
        let (ann, chat, all) = try seeded(app, count: 3)
        let middle = try #require(try app.call("GET", "/api/v1/conversations/\(chat)/messages", token: ann.token)
            .body["messages"]?[1]?["id"]?.stringValue)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(chat)/messages/\(middle)", token: ann.token).status == 204)
        let answer = try app.call("GET", "/api/v1/conversations/\(chat)/messages", token: ann.token)
        let messages = answer.body["messages"]?.arrayValue ?? []
        #expect(messages.compactMap { $0["seq"]?.int64Value } == all)
        #expect(messages[1]["deleted"] == .bool(true))
        #expect(messages[1]["body"]?.stringValue == "")
    }
}
