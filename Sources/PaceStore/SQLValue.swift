import CSQLite

/// A value that can be bound to a statement parameter. Conformances cover exactly the column
/// types the schema uses; `Optional` binds `nil` as NULL.
package protocol SQLBindable {
    func bind(to statement: Statement, at index: Int32) throws(StoreError)
}

/// A parameter value for the convenience `query`/`run` calls, written as a literal where possible.
package enum SQLValue: Sendable, Equatable, SQLBindable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null

    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        switch self {
        case .integer(let value): try statement.bind(value, at: index)
        case .real(let value): try statement.bind(value, at: index)
        case .text(let value): try statement.bind(value, at: index)
        case .blob(let value): try statement.bind(value, at: index)
        case .null: try statement.bindNull(at: index)
        }
    }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(nilLiteral: ()) { self = .null }
    package init(floatLiteral value: Double) { self = .real(value) }
    package init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

extension Int64: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        try statement.bind(self, at: index)
    }
}

extension Int: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        try statement.bind(Int64(self), at: index)
    }
}

extension Double: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        try statement.bind(self, at: index)
    }
}

extension Bool: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        try statement.bind(Int64(self ? 1 : 0), at: index)
    }
}

extension String: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        try statement.bind(self, at: index)
    }
}

extension Array: SQLBindable where Element == UInt8 {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        try statement.bind(self, at: index)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws(StoreError) {
        switch self {
        case .some(let value): try value.bind(to: statement, at: index)
        case .none: try statement.bindNull(at: index)
        }
    }
}
