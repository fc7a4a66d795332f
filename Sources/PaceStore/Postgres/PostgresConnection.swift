import CLibPQ
import Glibc
import PaceSystem

/// One libpq connection, and the `StoreTransaction` that `PostgreSQLStore` work runs in. Not
/// thread-safe: a connection belongs to one store thread (the writer, a reader, or the `readNow`
/// lock's holder), never to an event loop.
///
/// Every statement goes out with libpq's asynchronous calls on a non-blocking socket and the
/// thread waits for the answer in `poll` with a deadline (the statement timeout plus a margin),
/// so a vanished server costs a bounded wait, never a hang. Statements are prepared once per
/// connection under a generated name, keyed by the seam's SQL text (whose `?N` parameters are
/// translated once, then); parameters go as text (bytea as binary) with their types when known;
/// results come back as text (see `PostgresRow`).
///
/// When the connection is lost, the handle is dropped and every call fails with `.busy` until
/// `reconnect` succeeds; the owning thread decides when to try again.
package final class PostgresConnection: StoreTransaction {
    private var handle: OpaquePointer?
    private let configuration: PostgresConfiguration
    private var statements: [String: PreparedStatement] = [:]
    /// The writer's sequence block for the batch in progress; nil on other connections.
    var sequence: PostgresSequence?
    package private(set) var changes = 0
    package var dialect: SQLDialect { .postgres }

    /// Beyond this many distinct texts, SQL is sent unprepared, so careless dynamic SQL cannot
    /// grow the server's per-connection statement memory without bound.
    private static let statementCacheLimit = 512
    /// How long past the statement timeout a round trip may take before the server counts as gone.
    private static let answerMarginMilliseconds = 5000

    private struct PreparedStatement {
        var name: String
    }

    /// Connects to `configuration.url`; fails with `.busy` ("PostgreSQL unavailable: …") when
    /// the server cannot be reached.
    package init(configuration: PostgresConfiguration) throws(StoreError) {
        self.configuration = configuration
        try reconnect()
    }

    deinit {
        close()
    }

    /// Whether the connection is up (as far as the last call could tell).
    package var isConnected: Bool {
        handle != nil
    }

    /// Drops any old connection and opens a new one, with the statement timeout set.
    package func reconnect() throws(StoreError) {
        close()
        let keywords = ["dbname", "connect_timeout", "application_name"]
        let values = [configuration.url, String(configuration.connectTimeoutSeconds), configuration.applicationName]
        let connection = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw StoreError.unavailable(message)
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        guard PQsetnonblocking(connection, 1) == 0 else {
            PQfinish(connection)
            throw StoreError.unavailable("cannot make the connection non-blocking")
        }
        handle = connection
        try run("SELECT set_config('statement_timeout', ?1, false)", [.text(String(configuration.statementTimeoutMilliseconds))])
    }

    /// Opens a transaction with `begin`. A connection that turns out dead at this point (the
    /// server restarted since its last use) is reopened once and the BEGIN retried: nothing has
    /// run yet, so the work need not fail for it.
    package func begin(_ begin: String) throws(StoreError) {
        let wasConnected = isConnected
        do {
            try run(begin)
        } catch {
            guard wasConnected, !isConnected else { throw error }
            try reconnect()
            try run(begin)
        }
    }

    /// Closes the connection (the server frees its prepared statements with it).
    package func close() {
        statements.removeAll()
        PQfinish(handle)
        handle = nil
    }

    package func run(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) {
        let result = try send(sql, bindings)
        defer { PQclear(result) }
        recordChanges(result)
    }

    package func query<R>(
        _ sql: String, _ bindings: [SQLValue], _ map: (any StoreRow) throws(StoreError) -> R
    ) throws(StoreError) -> [R] {
        let result = try send(sql, bindings)
        defer { PQclear(result) }
        recordChanges(result)
        let count = PQntuples(result)
        var rows: [R] = []
        rows.reserveCapacity(Int(count))
        for index in 0..<count {
            rows.append(try map(PostgresRow(result: result, index: index)))
        }
        return rows
    }

    package func queryFirst<R>(
        _ sql: String, _ bindings: [SQLValue], _ map: (any StoreRow) throws(StoreError) -> R
    ) throws(StoreError) -> R? {
        let result = try send(sql, bindings)
        defer { PQclear(result) }
        recordChanges(result)
        return PQntuples(result) > 0 ? try map(PostgresRow(result: result, index: 0)) : nil
    }

    package func nextSequence() throws(StoreError) -> Int64 {
        guard sequence != nil else {
            throw StoreError.misuse(message: "nextSequence is only available in write work")
        }
        return try sequence!.next()
    }

    /// COMMITs the open transaction. PostgreSQL answers a COMMIT of a transaction that an error
    /// aborted with "ROLLBACK" and no error; that is a failure here, so nothing is acknowledged.
    package func commit() throws(StoreError) {
        let result = try send("COMMIT", [])
        defer { PQclear(result) }
        let status = String(cString: PQcmdStatus(result))
        guard status == "COMMIT" else { throw StoreError.other(code: 0, message: "COMMIT answered \(status)") }
    }

    /// Keeps `changes` as SQLite does: set by INSERT, UPDATE and DELETE (with or without
    /// RETURNING), left alone by other statements.
    private func recordChanges(_ result: OpaquePointer) {
        let status = String(cString: PQcmdStatus(result))
        if status.hasPrefix("INSERT") || status.hasPrefix("UPDATE") || status.hasPrefix("DELETE") {
            changes = Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs a script of one or more statements without parameters (migrations), in one round
    /// trip with the simple query protocol.
    package func execute(_ script: String) throws(StoreError) {
        let connection = try live()
        guard PQsendQuery(connection, script) == 1 else { throw lost(connection) }
        PQclear(try awaitResult(connection))
    }

    /// Sends one statement (preparing it on first use) and returns its successful result, which
    /// the caller clears.
    private func send(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> OpaquePointer {
        let connection = try live()
        let sent: Int32
        if let prepared = try prepared(sql, bindings, on: connection) {
            sent = Self.withParameters(bindings) { values, lengths, formats in
                PQsendQueryPrepared(connection, prepared.name, Int32(bindings.count), values, lengths, formats, 0)
            }
        } else {
            let text = PlaceholderTranslation.translate(sql).text
            let types = bindings.map(\.postgresType)
            sent = Self.withParameters(bindings) { values, lengths, formats in
                PQsendQueryParams(connection, text, Int32(bindings.count), types, values, lengths, formats, 0)
            }
        }
        guard sent == 1 else { throw lost(connection) }
        return try awaitResult(connection)
    }

    /// The named statement for `sql`, prepared now if this connection has not seen it; nil when
    /// the cache is full (the statement then goes unprepared).
    private func prepared(_ sql: String, _ bindings: [SQLValue], on connection: OpaquePointer) throws(StoreError) -> PreparedStatement? {
        if let known = statements[sql] { return known }
        guard statements.count < Self.statementCacheLimit else { return nil }
        let translated = PlaceholderTranslation.translate(sql)
        let statement = PreparedStatement(name: "pace_\(statements.count)")
        let types = bindings.map(\.postgresType)
        guard PQsendPrepare(connection, statement.name, translated.text, Int32(types.count), types) == 1 else {
            throw lost(connection)
        }
        PQclear(try awaitResult(connection))
        statements[sql] = statement
        return statement
    }

    /// Waits for every result of the statement in flight; returns the first error's as a thrown
    /// `StoreError`, else the last result.
    private func awaitResult(_ connection: OpaquePointer) throws(StoreError) -> OpaquePointer {
        let deadline = Clock.monotonicNanoseconds()
            + Int64(configuration.statementTimeoutMilliseconds + Self.answerMarginMilliseconds) * 1_000_000
        try flush(connection, until: deadline)
        var kept: OpaquePointer?
        var failure: StoreError?
        while true {
            while PQisBusy(connection) == 1 {
                try wait(connection, for: Int16(POLLIN), until: deadline)
                guard PQconsumeInput(connection) == 1 else { throw lost(connection) }
            }
            guard let result = PQgetResult(connection) else { break }
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY {
                PQclear(kept)
                kept = result
            } else {
                if failure == nil { failure = error(of: result, on: connection) }
                PQclear(result)
            }
        }
        if let failure {
            PQclear(kept)
            if PQstatus(connection) != CONNECTION_OK { close() }
            throw failure
        }
        guard let kept else { throw lost(connection) }
        return kept
    }

    private func flush(_ connection: OpaquePointer, until deadline: Int64) throws(StoreError) {
        while true {
            switch PQflush(connection) {
            case 0: return
            case 1: try wait(connection, for: Int16(POLLIN | POLLOUT), until: deadline)
                guard PQconsumeInput(connection) == 1 else { throw lost(connection) }
            default: throw lost(connection)
            }
        }
    }

    /// Sleeps in `poll` until the socket is ready for `events` or the deadline passes; a passed
    /// deadline means the server stopped answering, and the connection is dropped.
    private func wait(_ connection: OpaquePointer, for events: Int16, until deadline: Int64) throws(StoreError) {
        while true {
            let remaining = (deadline - Clock.monotonicNanoseconds()) / 1_000_000
            guard remaining > 0 else {
                close()
                throw StoreError.unavailable("no answer within \(configuration.statementTimeoutMilliseconds + Self.answerMarginMilliseconds) ms")
            }
            var descriptor = pollfd(fd: PQsocket(connection), events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1000)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw lost(connection) }
        }
    }

    private func live() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw StoreError.unavailable("not connected") }
        return handle
    }

    /// The error for a failed result: by SQLSTATE, or "unavailable" when the connection broke.
    private func error(of result: OpaquePointer, on connection: OpaquePointer) -> StoreError {
        let message = Self.trimmed(PQresultErrorMessage(result))
        guard let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) else {
            return PQstatus(connection) == CONNECTION_OK ? .other(code: 0, message: message) : .unavailable(message)
        }
        return StoreError(sqlState: String(cString: state), message: message)
    }

    /// Drops the connection after a transport failure and returns the error to throw.
    private func lost(_ connection: OpaquePointer) -> StoreError {
        let message = Self.trimmed(PQerrorMessage(connection))
        close()
        return .unavailable(message.isEmpty ? "connection lost" : message)
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var message = String(cString: text)
        while message.last?.isWhitespace == true { message.removeLast() }
        return message
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var duplicates: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        duplicates.append(nil)
        defer { for pointer in duplicates { free(pointer) } }
        return body(duplicates.map { $0.map { UnsafePointer($0) } })
    }

    /// Lays the parameters out in one buffer (each NUL-terminated) and passes libpq's three
    /// parallel arrays; bytea goes in binary format, everything else as text.
    private static func withParameters<R>(
        _ bindings: [SQLValue],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        var storage: [UInt8] = [0]
        var offsets: [Int] = [], lengths: [Int32] = [], formats: [Int32] = []
        for value in bindings {
            var bytes: [UInt8]
            var format: Int32 = 0
            switch value {
            case .integer(let number): bytes = Array(String(number).utf8)
            case .real(let number): bytes = Array(String(number).utf8)
            case .text(let text): bytes = Array(text.utf8)
            case .blob(let blob): bytes = blob; format = 1
            case .null:
                offsets.append(-1); lengths.append(0); formats.append(0)
                continue
            }
            offsets.append(storage.count)
            lengths.append(Int32(bytes.count))
            formats.append(format)
            storage.append(contentsOf: bytes)
            storage.append(0)
        }
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : (base + $0).assumingMemoryBound(to: CChar.self) }
            return values.withUnsafeBufferPointer { valuePointers in
                lengths.withUnsafeBufferPointer { lengthPointers in
                    formats.withUnsafeBufferPointer { formatPointers in
                        body(valuePointers.baseAddress, lengthPointers.baseAddress, formatPointers.baseAddress)
                    }
                }
            }
        }
    }
}

extension SQLValue {
    /// The parameter's type OID for PostgreSQL: exact for numbers and bytes; 0 ("infer from the
    /// context") for text and NULL, so a text parameter compared with a citext column is citext.
    var postgresType: Oid {
        switch self {
        case .integer: 20
        case .real: 701
        case .blob: 17
        case .text, .null: 0
        }
    }
}
