import PaceStore

/// A user's standing on the whole server. Moderators delete any message and act on reports;
/// admins also manage roles and accounts. The store is the only authority: an access token
/// never carries the role, so a demotion takes effect on the very next request.
package enum ServerRole: String, Sendable, Comparable {
    case user, moderator, admin

    private var rank: Int {
        switch self {
        case .user: 0
        case .moderator: 1
        case .admin: 2
        }
    }

    package static func < (a: ServerRole, b: ServerRole) -> Bool { a.rank < b.rank }
}

/// What the store says about a caller right now.
package struct ServerStanding: Sendable, Equatable {
    package var role: ServerRole
    package var deactivated: Bool

    /// The standing of `userID`, or nil for no such user.
    package static func of(_ userID: Int64, in db: any StoreTransaction) throws(StoreError) -> ServerStanding? {
        try db.queryFirst("SELECT server_role, deactivated_at IS NOT NULL FROM users WHERE id = ?1",
                          [.integer(userID)]) { row in
            ServerStanding(role: ServerRole(rawValue: row.string(0)) ?? .user, deactivated: row.bool(1))
        }
    }

    /// Whether `userID` is an active admin: the check other features' admin-only routes use.
    package static func isAdmin(_ userID: Int64, in db: any StoreTransaction) throws(StoreError) -> Bool {
        try has(.admin, userID, in: db)
    }

    /// Whether `userID` is active and holds `role` or a higher one.
    package static func has(_ role: ServerRole, _ userID: Int64, in db: any StoreTransaction) throws(StoreError) -> Bool {
        guard let standing = try of(userID, in: db), !standing.deactivated else { return false }
        return standing.role >= role
    }
}
