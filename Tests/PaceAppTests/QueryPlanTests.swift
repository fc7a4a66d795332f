import PaceApp
import PaceStore
import Testing

/// The hot queries must stay index searches: a change that turns one into a scan of messages
/// or conversations fails here, not in production.
@Suite("Query plans", .disabled(if: TestDatabase.isPostgres, Comment(rawValue: TestDatabase.sqliteOnly)))
struct QueryPlanTests {
    private func plan(_ sql: String) throws -> String {
        let app = try TestApp()
        return try app.server.context.store.readNow { db throws(StoreError) in
            try db.query("EXPLAIN QUERY PLAN " + sql) { $0.string(3) }.joined(separator: "\n")
        }
    }

    @Test func historyPagesSearchTheConversationSeqIndex() throws {
        for sql in [MessageQueries.latestPageSQL, MessageQueries.forwardPageSQL] {
            let plan = try plan(sql)
            #expect(plan.contains("SEARCH messages USING INDEX messages_conversation_seq (conversation_id=? AND seq<?)")
                    || plan.contains("SEARCH messages USING INDEX messages_conversation_seq (conversation_id=? AND seq>? AND seq<?)"),
                    "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "pages come out of the index in order: \(plan)")
        }
    }

    @Test func aClusterCatchUpReadsTheVersionIndex() throws {
        let plan = try plan(StoreCatchUp.changedSQL)
        #expect(plan.contains("SEARCH messages USING INDEX messages_version (version>?)"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test func attachmentsAndReactionsAreLookedUpByMessage() throws {
        #expect(try plan(MessageQueries.attachmentsSQL).contains("SEARCH a USING PRIMARY KEY (message_id=?)"))
        #expect(try plan(MessageQueries.reactionsSQL).contains("SEARCH reactions USING PRIMARY KEY (message_id=?)"))
    }

    @Test func theConversationListStartsFromTheMembersUserIndexAndCountsNoMessages() throws {
        let list = try plan(ConversationQueries.listSQL)
        #expect(list.contains("SEARCH m USING INDEX members_user (user_id=?)"), "\(list)")
        #expect(list.contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"), "\(list)")
        // Unread counts come from counters (UnreadCounters): no range of messages is counted;
        // the one message search is the newest message's (conversation_id=?, newest first).
        #expect(list.split(separator: "\n").filter { $0.contains("messages_conversation_seq") }
            == ["SEARCH x USING COVERING INDEX messages_conversation_seq (conversation_id=?)"], "\(list)")
        #expect(list.contains("SEARCH n USING PRIMARY KEY (user_id=? AND conversation_id=? AND seq>?)"), "\(list)")
        #expect(!list.contains("SCAN"), "\(list)")
        let members = try plan(ConversationQueries.listMembersSQL)
        #expect(members.contains("SEARCH m USING COVERING INDEX members_user (user_id=?)"), "\(members)")
        #expect(members.contains("SEARCH o USING PRIMARY KEY (conversation_id=?)"), "\(members)")
    }

    @Test func searchJoinsOnlyTheCallersMemberships() throws {
        let search = try plan(SearchQueries.searchSQL)
        #expect(search.contains("SCAN f VIRTUAL TABLE"), "\(search)")
        #expect(search.contains("SEARCH m USING INTEGER PRIMARY KEY (rowid=?)"), "\(search)")
        #expect(search.contains("SEARCH mb USING COVERING INDEX members_user"), "\(search)")
    }

    @Test func aPushExpansionStepReadsARangeOfTheChannelsMembers() throws {
        let step = try plan(PushExpansion.stepSQL)
        #expect(step.contains("SEARCH members USING PRIMARY KEY (conversation_id=? AND user_id>?)"), "\(step)")
        #expect(!step.contains("TEMP B-TREE"), "\(step)")
        let recipients = try plan(PushExpansion.recipientsSQL)
        #expect(recipients.contains("SEARCH m USING PRIMARY KEY (conversation_id=? AND user_id>? AND user_id<?)"), "\(recipients)")
        #expect(!recipients.contains("SCAN"), "\(recipients)")
    }
}
