import PaceSystem

extension OSThread {
    /// Starts one of the store's threads; failing to create it is a store error for the caller.
    static func storeThread(name: String, _ body: @escaping @Sendable () -> Void) throws(StoreError) -> OSThread {
        do {
            return try OSThread(name: name, body)
        } catch {
            throw StoreError.other(code: error.code, message: "pthread_create failed for \(name)")
        }
    }
}
