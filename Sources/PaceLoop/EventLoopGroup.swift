import PaceSystem

/// One event loop per core, each on its own thread.
package final class EventLoopGroup: Sendable {
    package let loops: [EventLoop]
    private let threads: [OSThread]

    /// A loop's slice: far longer than a tick of request work (tens of microseconds), short
    /// enough that a loop woken by its sockets gets the CPU within a fraction of a millisecond.
    static let sliceNanoseconds: UInt64 = 100_000

    /// Creates `count` loops; `prepare` runs on each loop's own thread before its first tick
    /// (listeners are registered there). With `pinned`, loop `i` stays on the `i`-th CPU this
    /// process may use (round robin when there are more loops than CPUs), so two busy loops
    /// never queue behind each other on one CPU while another CPU serves only clients.
    package init(count: Int, pinned: Bool = false,
                 prepare: @escaping @Sendable (EventLoop) -> Void) throws(SystemError) {
        var loops: [EventLoop] = []
        for i in 0..<max(1, count) { loops.append(try EventLoop(index: i)) }
        let cpus = pinned ? Scheduling.allowedCPUs() : []
        var threads: [OSThread] = []
        for loop in loops {
            let cpu = cpus.isEmpty ? nil : cpus[loop.index % cpus.count]
            threads.append(try OSThread(name: "pace-loop-\(loop.index)") {
                Self.place(loop, on: cpu)
                prepare(loop)
                loop.run()
            })
        }
        self.loops = loops
        self.threads = threads
    }

    private static func place(_ loop: EventLoop, on cpu: Int32?) {
        do throws(SystemError) {
            if let cpu { try Scheduling.pinCurrentThread(to: cpu) }
        } catch {
            Log.warn("loop not pinned", ["loop": String(loop.index), "error": "\(error)"])
        }
        // Kernels before 6.12 have no custom slices; the loop then runs on the default ones.
        try? Scheduling.requestSlice(nanoseconds: sliceNanoseconds)
    }

    package func stopAndJoin() {
        for loop in loops { loop.stop() }
        for thread in threads { thread.join() }
    }
}
