import PaceStore
import PaceSystem

/// Store work that may refuse a request: a refusal is an API error, a failure of the database
/// itself is a thrown `StoreError`. Work that writes must decide every refusal before its first
/// change, because a returned refusal commits whatever the work already wrote.
package typealias StoreWork<T> = @Sendable (any StoreTransaction) throws(StoreError) -> Result<T, APIError>

extension AppContext {
    /// Runs `work` on a reader thread; `success` runs there with its value, refusals and store
    /// failures are answered.
    package func readAnswer<T: Sendable>(_ reply: Reply, _ work: @escaping StoreWork<T>,
                                         success: @escaping @Sendable (T) -> Void) {
        store.read(work) { result in Self.settle(result, reply, success) }
    }

    /// Runs `work` on the writer; `success` runs after the durable commit with its value.
    package func writeAnswer<T: Sendable>(_ reply: Reply, _ work: @escaping StoreWork<T>,
                                          success: @escaping @Sendable (T) -> Void) {
        store.write(work) { result in Self.settle(result, reply, success) }
    }

    private static func settle<T>(_ result: Result<Result<T, APIError>, StoreError>, _ reply: Reply,
                                  _ success: (T) -> Void) {
        switch outcome(result) {
        case .success(let value): success(value)
        case .failure(let error): reply.error(error)
        }
    }

    /// A store call's result as one API result: a refusal as is, a store failure mapped.
    package static func outcome<T>(_ result: Result<Result<T, APIError>, StoreError>) -> Result<T, APIError> {
        switch result {
        case .success(let answer): answer
        case .failure(let failure): .failure(APIError(storeError: failure))
        }
    }
}

extension APIError {
    /// The answer for a store failure: constraints are the client's (409), contention is worth
    /// a retry (503), everything else is the server's fault.
    package init(storeError: StoreError) {
        switch storeError {
        case .constraint:
            self = .conflict("conflict", "The request conflicts with the current state.")
        case .busy, .closed:
            self = .unavailable
        default:
            Log.error("store failure", ["error": "\(storeError)"])
            self = .internalError
        }
    }
}

/// Resource ids in paths and bodies: positive decimal integers, as strings.
package enum ResourceID {
    /// The id in `text`, or nil when it is not a positive integer (routes answer 404).
    package static func parse(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let value = Int64(text), value > 0 else { return nil }
        return value
    }
}
