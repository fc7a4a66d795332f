/// PostgreSQL's SQLSTATE codes folded into `StoreError`, so the services answer the same way on
/// both engines: integrity violations are the client's (409), anything that says "try again"
/// (a lost or refused connection, a server shutting down, a statement timeout, a serialization
/// failure or deadlock, exhausted resources) is `.busy` (503 with Retry-After), the rest are
/// server faults.
extension StoreError {
    package init(sqlState: String, message: String) {
        switch sqlState {
        case "23505": self = .constraint(kind: .unique, message: message)
        case "23503": self = .constraint(kind: .foreignKey, message: message)
        case "23514": self = .constraint(kind: .check, message: message)
        case "23502": self = .constraint(kind: .notNull, message: message)
        case "57014", "40001", "40P01", "55P03": self = .busy(message: message)
        case "XX001", "XX002": self = .corrupt(message: message)
        default:
            switch sqlState.prefix(2) {
            case "23": self = .constraint(kind: .other, message: message)
            // Connection exceptions, operator intervention (admin shutdown, crash shutdown, cannot
            // connect now), insufficient resources: the database is (for now) unavailable.
            case "08", "57", "53": self = .busy(message: message)
            case "58": self = .io(message: message)
            case "42", "22", "25", "0A": self = .misuse(message: "\(sqlState): \(message)")
            default: self = .other(code: 0, message: "\(sqlState): \(message)")
            }
        }
    }

    /// The connection to PostgreSQL is gone or could not be made: worth a retry elsewhere or later.
    package static func unavailable(_ detail: String) -> StoreError {
        .busy(message: "PostgreSQL unavailable: \(detail)")
    }
}
