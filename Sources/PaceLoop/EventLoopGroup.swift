import PaceSystem

/// One event loop per core, each on its own thread.
package final class EventLoopGroup: Sendable {
    package let loops: [EventLoop]
    private let threads: [OSThread]

    /// Creates `count` loops; `prepare` runs on each loop's own thread before its first tick
    /// (listeners are registered there).
    package init(count: Int, prepare: @escaping @Sendable (EventLoop) -> Void) throws(SystemError) {
        var loops: [EventLoop] = []
        for i in 0..<max(1, count) { loops.append(try EventLoop(index: i)) }
        var threads: [OSThread] = []
        for loop in loops {
            threads.append(try OSThread(name: "pace-loop-\(loop.index)") {
                prepare(loop)
                loop.run()
            })
        }
        self.loops = loops
        self.threads = threads
    }

    package func stopAndJoin() {
        for loop in loops { loop.stop() }
        for thread in threads { thread.join() }
    }
}
