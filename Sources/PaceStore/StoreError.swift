/// Everything the store can fail with. SQLite's result codes are folded into the few cases callers
/// act on differently: a constraint is the client's fault (409/422 upstream, never 500), `.busy`
/// is worth a retry, the rest are server faults.
package enum StoreError: Error, Equatable, Sendable {
    /// Which declared constraint a statement violated, from SQLite's extended result code.
    package enum ConstraintKind: Sendable, Equatable {
        case unique, foreignKey, check, notNull, primaryKey, other
    }

    case constraint(kind: ConstraintKind, message: String)
    case busy(message: String)
    case corrupt(message: String)
    case io(message: String)
    case misuse(message: String)
    case other(code: Int32, message: String)
    /// An applied migration's text no longer matches the one in the binary.
    case migrationChanged(name: String)
    /// The database records a migration this binary does not know: it was opened by a newer build.
    case unknownMigration(name: String)
    /// The store was closed before the work could run.
    case closed
}

extension StoreError {
    /// Classifies an extended SQLite result code, keeping SQLite's message for the logs.
    package init(code: Int32, message: String) {
        switch code & 0xFF {
        case ResultCode.constraint:
            self = .constraint(kind: ConstraintKind(extendedCode: code), message: message)
        case ResultCode.busy, ResultCode.locked:
            self = .busy(message: message)
        case ResultCode.corrupt, ResultCode.notADatabase:
            self = .corrupt(message: message)
        case ResultCode.ioError, ResultCode.full, ResultCode.cannotOpen:
            self = .io(message: message)
        case ResultCode.misuse, ResultCode.range:
            self = .misuse(message: message)
        default:
            self = .other(code: code, message: message)
        }
    }
}

extension StoreError.ConstraintKind {
    init(extendedCode: Int32) {
        switch extendedCode {
        case ResultCode.constraintUnique: self = .unique
        case ResultCode.constraintForeignKey: self = .foreignKey
        case ResultCode.constraintCheck: self = .check
        case ResultCode.constraintNotNull: self = .notNull
        case ResultCode.constraintPrimaryKey: self = .primaryKey
        default: self = .other
        }
    }
}

/// SQLite result codes. Swift does not import the `(SQLITE_CONSTRAINT | (8<<8))` style macros,
/// so the values from sqlite3.h are spelled out here.
enum ResultCode {
    static let ok: Int32 = 0
    static let row: Int32 = 100
    static let done: Int32 = 101
    static let busy: Int32 = 5
    static let locked: Int32 = 6
    static let ioError: Int32 = 10
    static let corrupt: Int32 = 11
    static let full: Int32 = 13
    static let cannotOpen: Int32 = 14
    static let constraint: Int32 = 19
    static let misuse: Int32 = 21
    static let range: Int32 = 25
    static let notADatabase: Int32 = 26
    static let constraintCheck: Int32 = constraint | (1 << 8)
    static let constraintForeignKey: Int32 = constraint | (3 << 8)
    static let constraintNotNull: Int32 = constraint | (5 << 8)
    static let constraintPrimaryKey: Int32 = constraint | (6 << 8)
    static let constraintUnique: Int32 = constraint | (8 << 8)
}
