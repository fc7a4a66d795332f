import PaceApp
import PaceStore
import Testing

@Suite struct SchemaTests {
    private func constraintKind(_ store: SQLiteStore, _ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> Void)
        -> StoreError.ConstraintKind? {
        do {
            try store.writeNow(work)
            return nil
        } catch {
            guard case .constraint(let kind, _) = error else { return nil }
            return kind
        }
    }

    @Test func usernameIsUniqueCaseInsensitively() throws {
        try withStore { store, _ in
            try store.writeNow { database throws(StoreError) in try Fixture.user(database, "Alice") }
            let kind = constraintKind(store) { database throws(StoreError) in
                try Fixture.user(database, "aLICE")
            }
            #expect(kind == .unique)
        }
    }

    @Test func foreignKeysAreEnforced() throws {
        try withStore { store, _ in
            let kind = constraintKind(store) { database throws(StoreError) in
                try Fixture.group(database, owner: 999)
            }
            #expect(kind == .foreignKey)
        }
    }

    @Test(arguments: [
        "UPDATE users SET role = 'root'",
        "UPDATE conversations SET direct_key = '1:2'",
        "UPDATE messages SET deleted = 2",
        "INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES (1, 1, 'king', 1)",
    ])
    func checkConstraintsAreTyped(sql: String) throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            try store.writeNow { database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "x")
            }
            let violation: @Sendable (any StoreTransaction) throws(StoreError) -> Void = { database throws(StoreError) in
                try database.run(sql)
            }
            let kind = constraintKind(store, violation)
            #expect(kind == .check)
        }
    }

    @Test func notNullAndPrimaryKeyAreTyped() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            let notNullKind = constraintKind(store) { database throws(StoreError) in
                try database.run("INSERT INTO users (username, display_name, created_at) VALUES ('bob', 'b', 1)")
            }
            #expect(notNullKind == .notNull)
            let join = "INSERT INTO members (conversation_id, user_id, joined_at) VALUES (1, 1, 1)"
            try store.writeNow { database throws(StoreError) in try database.run(join) }
            let primaryKeyKind = constraintKind(store) { database throws(StoreError) in try database.run(join) }
            #expect(primaryKeyKind == .primaryKey)
        }
    }

    @Test func oneDirectConversationPerPair() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            let insert = """
                INSERT INTO conversations (type, owner_id, created_at, direct_key) VALUES ('direct', 1, 1, '1:2')
                """
            try store.writeNow { database throws(StoreError) in try database.run(insert) }
            let kind = constraintKind(store) { database throws(StoreError) in try database.run(insert) }
            #expect(kind == .unique)
        }
    }

    @Test func clientIDIsUniquePerSenderOnlyWhenPresent() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            try store.writeNow { database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "a")
                try Fixture.message(database, conversation: 1, sender: 1, body: "b")
                try Fixture.message(database, conversation: 1, sender: 1, body: "c", clientID: "k1")
            }
            let kind = constraintKind(store) { database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "d", clientID: "k1")
            }
            #expect(kind == .unique)
        }
    }

    @Test func fullTextIndexFollowsInsertUpdateAndDelete() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            let id = try store.writeNow { database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "the quick brown fox").id
            }
            func hits(_ term: String) throws -> [Int64] {
                try store.readNow { database throws(StoreError) in
                    try database.query("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1", [.text(term)]) {
                        $0.int64(0)
                    }
                }
            }
            #expect(try hits("quick") == [id])
            try store.writeNow { database throws(StoreError) in
                try database.run("UPDATE messages SET body = 'a lazy dog' WHERE id = ?1", [.integer(id)])
            }
            #expect(try hits("quick").isEmpty)
            #expect(try hits("lazy") == [id])
            try store.writeNow { database throws(StoreError) in
                try database.run("UPDATE messages SET body = '', deleted = 1 WHERE id = ?1", [.integer(id)])
            }
            #expect(try hits("lazy").isEmpty)
            let second = try store.writeNow { database throws(StoreError) in
                try Fixture.message(database, conversation: 1, sender: 1, body: "gone soon").id
            }
            try store.writeNow { database throws(StoreError) in
                try database.run("DELETE FROM messages WHERE id = ?1", [.integer(second)])
            }
            #expect(try hits("gone").isEmpty)
            // The index's own consistency; comparing against the content table (rank 1) does not
            // apply, because deleted and empty messages are deliberately left out of the index.
            try store.writeNow { database throws(StoreError) in
                try database.run("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
            }
        }
    }

    /// Edits and deletions of messages not indexed yet (same write as the insert).
    @Test func fullTextIndexIsRightForChangesInTheSameBatch() throws {
        try withStore { store, _ in
            try Fixture.seed(store)
            try store.writeNow { database throws(StoreError) in
                let edited = try Fixture.message(database, conversation: 1, sender: 1, body: "draft words").id
                try database.run("UPDATE messages SET body = 'final words' WHERE id = ?1", [.integer(edited)])
                let removed = try Fixture.message(database, conversation: 1, sender: 1, body: "oops words").id
                try database.run("DELETE FROM messages WHERE id = ?1", [.integer(removed)])
                let hidden = try Fixture.message(database, conversation: 1, sender: 1, body: "secret words").id
                try database.run("UPDATE messages SET body = '', deleted = 1 WHERE id = ?1", [.integer(hidden)])
            }
            let bodies = try store.readNow { database throws(StoreError) in
                try database.query("""
                    SELECT messages.body FROM messages_fts JOIN messages ON messages.id = messages_fts.rowid
                    WHERE messages_fts MATCH 'words'
                    """) { $0.string(0) }
            }
            #expect(bodies == ["final words"])
            #expect(try Fixture.count(store, "SELECT indexed_seq FROM messages_fts_state") == 3)
            try store.writeNow { database throws(StoreError) in
                try database.run("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
            }
        }
    }

    @Test func messagesCommittedOutsideTheStoreAreIndexedAtOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path, commitHook: ChatCommitHook())
        try Fixture.seed(store)
        store.close()
        let outside = try Database(path: directory.file(SQLiteStore.fileName))
        try outside.run("""
            INSERT INTO messages (seq, conversation_id, sender_id, body, created_at, version)
            VALUES (100, 1, 1, 'imported text', 1, 100)
            """)
        outside.close()
        let reopened = try SQLiteStore(directory: directory.path, commitHook: ChatCommitHook())
        defer { reopened.close() }
        let hits = try Fixture.count(reopened, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'imported'")
        #expect(hits == 1)
    }

    @Test func prefixSearchUsesTheNocaseIndexes() throws {
        try withStore { store, _ in
            let plans = try store.readNow { database throws(StoreError) in
                [
                    try database.query("EXPLAIN QUERY PLAN SELECT id FROM users WHERE username LIKE 'ab%'") {
                        $0.string(3)
                    },
                    try database.query(
                        "EXPLAIN QUERY PLAN SELECT id FROM users WHERE display_name >= 'Ab' AND display_name < 'Ac'"
                    ) { $0.string(3) },
                ]
            }
            #expect(plans[0].joined().contains("INDEX sqlite_autoindex_users_1"))
            #expect(plans[1].joined().contains("INDEX users_display_name"))
        }
    }
}
