import Glibc

/// A dedicated OS thread running one closure, joined on shutdown. The store's writer and readers
/// block in SQLite and fsync, which is why they get threads of their own rather than tasks.
package struct WorkerThread: Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread; `name` identifies it in errors.
    package init(name: String, body: @escaping @Sendable () -> Void) throws(StoreError) {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, box)
        guard code == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            throw StoreError.other(code: code, message: "pthread_create failed for \(name)")
        }
        handle = thread
    }

    /// Whether the caller is this thread.
    package var isCurrent: Bool {
        pthread_equal(pthread_self(), handle) != 0
    }

    /// Waits for the thread's closure to return.
    package func join() {
        pthread_join(handle, nil)
    }
}

private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
