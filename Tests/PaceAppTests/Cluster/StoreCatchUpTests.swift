import PaceJSON
import PaceStore
import Testing
@testable import PaceApp

/// The gap fill rebuilds from the store what the writers published (on both engines).
struct StoreCatchUpTests {
    private func key(_ event: ChatEvent) -> Int64 { ReorderWindow.key(of: event) ?? -1 }

    @Test func rebuildsTheKeyedEventsAfterAFloor() throws {
        let app = try TestApp()
        let ann = try app.makeUser("ann"), bob = try app.makeUser("bob")
        let group = try app.group(ann, [bob])
        try app.send(ann, group, "before")
        let floor = try app.server.context.store.readNow { db throws(StoreError) in try StoreCatchUp.sequence(db) }
        let recorder = EventRecorder(app)
        let first = try app.send(ann, group, "one")
        let second = try app.send(bob, group, "two")
        let third = try app.send(bob, group, "three")
        let id = try #require(first["id"]?.stringValue), doomed = try #require(third["id"]?.stringValue)
        #expect(try app.call("PATCH", "/api/v1/conversations/\(group)/messages/\(id)", json: #"{"body":"uno"}"#,
                             token: ann.token).status == 200)
        #expect(try app.call("PUT", "/api/v1/conversations/\(group)/messages/\(try #require(second["id"]?.stringValue))/reactions/%F0%9F%91%8D",
                             token: ann.token).status < 300)
        #expect(try app.call("DELETE", "/api/v1/conversations/\(group)/messages/\(doomed)", token: bob.token).status < 300)
        let published = recorder.all.filter { ReorderWindow.key(of: $0) != nil }
        let rebuilt = try #require(try app.server.context.store.readNow { db throws(StoreError) in
            try StoreCatchUp.events(db, after: floor)
        })
        #expect(rebuilt.map(key) == published.map(key).sorted())
        #expect(rebuilt.map(key) == rebuilt.map(key).sorted())
        // Created messages carry their current state; a reaction comes back as an update.
        let kinds = rebuilt.map { event -> String in
            switch event {
            case .messageCreated: "new"
            case .messageUpdated: "updated"
            case .messageDeleted: "deleted"
            default: "other"
            }
        }
        #expect(kinds == ["new", "new", "new", "updated", "updated", "deleted"])
        guard case .messageCreated(_, _, _, _, let json) = rebuilt[0] else { return }
        #expect(String(decoding: json, as: UTF8.self).contains("\"uno\""))
        #expect(try app.server.context.store.readNow { db throws(StoreError) in
            try StoreCatchUp.events(db, after: floor, limit: 2)
        } == nil)
    }
}
