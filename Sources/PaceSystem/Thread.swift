#if canImport(Glibc)
import Glibc
#endif
import CShims

/// A joinable OS thread running one closure; the event loops and pools are built on it.
package final class OSThread: Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread named `name` (at most 15 bytes show in `top -H`).
    package init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue()
            _ = pace_set_thread_name(String(box.name.prefix(15)))
            box.body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            throw SystemError("pthread_create", code: result)
        }
        self.handle = handle
    }

    package func join() {
        pthread_join(handle, nil)
    }

    /// Whether the caller is running on this thread.
    package var isCurrent: Bool {
        pthread_equal(pthread_self(), handle) != 0
    }
}

private final class ThreadBody: Sendable {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
