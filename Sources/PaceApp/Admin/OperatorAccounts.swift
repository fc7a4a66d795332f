import PaceStore

/// `pace admin create`: an admin account made by the operator at the console, for servers
/// where the first registration should not decide who administers it (invite-only, closed).
package enum OperatorAccounts {
    /// The audit log's actor id for the operator console, which is no user.
    package static let consoleActor: Int64 = 0

    /// Validates and hashes (Argon2id, production parameters) before touching the store;
    /// answers the new user's id, or a sentence for the operator.
    package static func createAdmin(username raw: String, password: String, environment: [String: String],
                                    in store: any Store, now: Int64) throws(StoreError) -> Result<Int64, OperatorProblem> {
        let username: String
        switch CredentialRules.username(raw) {
        case .valid(let canonical): username = canonical
        case .invalid(let problem): return .failure(OperatorProblem("the username \(problem)"))
        }
        if let problem = CredentialRules.password(password) { return .failure(OperatorProblem("the password \(problem)")) }
        let hash: String
        do {
            hash = try PasswordHashing.hasher(environment: environment).hash(Array(password.utf8))
        } catch {
            return .failure(OperatorProblem("cannot hash the password: \(error)"))
        }
        do {
            return .success(try store.writeNow { db throws(StoreError) in
                let id = try db.queryFirst("""
                    INSERT INTO users (username, display_name, password_hash, role, server_role, created_at)
                    VALUES (?1, ?1, ?2, 'admin', 'admin', ?3) RETURNING id
                    """, [.text(username), .text(hash), .integer(now)]) { $0.int64(0) } ?? 0
                try AuditLog.append(AuditEntry(actorID: consoleActor, action: "user.create_admin", targetType: "user",
                                               targetID: id, allowed: true, detail: "pace admin create",
                                               client: "console", createdAt: now), in: db)
                return id
            })
        } catch {
            guard case .constraint(kind: .unique, _) = error else { throw error }
            return .failure(OperatorProblem("the username \(username) is already taken"))
        }
    }
}

/// Why the console could not do what it was asked, as a sentence for the operator.
package struct OperatorProblem: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) { self.description = description }
}
