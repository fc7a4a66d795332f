#if canImport(Glibc)
import Glibc
#endif
import CShims
import PaceSystem
import Synchronization

/// Something registered with a loop for readiness on one descriptor.
package protocol LoopHandler: AnyObject {
    /// Called on the loop thread with epoll's event bits.
    func handleEvents(_ events: UInt32)
}

/// Something with output to flush once the current tick's events are all handled, so that
/// everything bound for one socket by then leaves in one gathered send.
package protocol TickFlushable: AnyObject {
    func flushAtEndOfTick()
}

/// One thread, one epoll instance: readiness dispatch, timers, a flush list worked through in
/// chunks after each tick's events, and a task queue other threads can feed.
///
/// `@unchecked Sendable`: `execute` and `stop` are the only members used off the loop thread;
/// they touch only the mutex-protected queue, an atomic flag and the eventfd. Everything else
/// is confined to the loop thread by contract (checked with `assertOnLoop` in debug builds).
package final class EventLoop: @unchecked Sendable {
    package let index: Int
    private let epoll: Epoll
    private let wakeup: EventFD
    private var handlers: [LoopHandler?] = []
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private var runningTasks: [@Sendable () -> Void] = []
    private var dirty: [TickFlushable] = []
    private let stopping = Atomic<Bool>(false)
    private var timers = TimerHeap()
    private var threadID: pthread_t?

    /// Shared by every socket of this loop: reads land here and are parsed in place.
    package let receiveBuffer: UnsafeMutableRawBufferPointer
    /// Scratch `iovec`s for gathered sends, shared by every socket of this loop.
    package let writeVectors: UnsafeMutableBufferPointer<iovec>
    /// Monotonic milliseconds at the start of the current tick.
    package private(set) var now: Int64

    package init(index: Int, receiveBufferSize: Int = 64 * 1024) throws(SystemError) {
        self.index = index
        epoll = try Epoll()
        wakeup = try EventFD()
        receiveBuffer = .allocate(byteCount: receiveBufferSize, alignment: 16)
        writeVectors = .allocate(capacity: 256)
        now = Clock.monotonicMilliseconds()
        try epoll.add(wakeup.fd, .readable)
    }

    deinit {
        receiveBuffer.deallocate()
        writeVectors.deallocate()
    }

    package func register(_ fd: Int32, _ interest: Interest, _ handler: LoopHandler) throws(SystemError) {
        assertOnLoop()
        let slot = Int(fd)
        if slot >= handlers.count { handlers.append(contentsOf: repeatElement(nil, count: slot + 1 - handlers.count)) }
        try epoll.add(fd, interest)
        handlers[slot] = handler
    }

    /// Changes what `fd` waits for; an error ends the descriptor's owner, not the loop.
    package func modify(_ fd: Int32, _ interest: Interest) throws(SystemError) {
        assertOnLoop()
        try epoll.modify(fd, interest)
    }

    /// Forgets `fd` before its owner closes it. The owner closes it whatever happens, and the
    /// close removes it from epoll anyway, so a failure here is logged, not passed on.
    package func unregister(_ fd: Int32) {
        assertOnLoop()
        do throws(SystemError) {
            try epoll.remove(fd)
        } catch {
            Log.error("epoll_ctl DEL failed", ["fd": String(fd), "error": "\(error)"])
        }
        if Int(fd) < handlers.count { handlers[Int(fd)] = nil }
    }

    /// Queues `handler.flushAtEndOfTick()` behind the handlers already waiting (at the end of
    /// this tick, or a later one behind a long fan-out); the caller keeps a flag so it is
    /// queued once until flushed.
    package func flushAtEndOfTick(_ handler: TickFlushable) {
        dirty.append(handler)
    }

    /// Runs `task` on the loop thread. Safe from any thread.
    package func execute(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = tasks.withLock { queue in
            queue.append(task)
            return queue.count == 1
        }
        if wasEmpty { wakeup.signal() }
    }

    /// Runs `callback` on the loop thread after `milliseconds`; loop thread only.
    @discardableResult
    package func schedule(after milliseconds: Int64, _ callback: @escaping () -> Void) -> TimerID {
        assertOnLoop()
        return timers.schedule(at: now &+ milliseconds, callback)
    }

    package func cancel(_ timer: TimerID) {
        timers.cancel(timer)
    }

    /// Makes `run` return after the current tick. Safe from any thread.
    package func stop() {
        stopping.store(true, ordering: .releasing)
        wakeup.signal()
    }

    package var isOnLoopThread: Bool {
        guard let threadID else { return false }
        return pthread_equal(threadID, pthread_self()) != 0
    }

    package func assertOnLoop() {
        assert(threadID == nil || isOnLoopThread, "event loop state touched off its thread")
    }

    /// Runs ticks on the calling thread until `stop`.
    package func run() {
        threadID = pthread_self()
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 512)
        defer { events.deallocate() }
        while !stopping.load(ordering: .acquiring) {
            let busy = tick(events, waitMilliseconds: nil)
            // A busy loop never blocks in epoll_wait, so without this a thread sharing its CPU
            // (a hub or store thread, a co-located client) waits for the scheduler tick, 4 ms
            // at HZ=250, and so does every request that thread is part of. One cheap call when nothing
            // else is runnable here.
            if busy { Scheduling.yield() }
        }
    }

    /// Runs one tick on the calling thread, which becomes the loop's thread: a loop nobody
    /// `run`s is stepped this way (tests drive in-memory connections like this). Waits up to
    /// `waitMilliseconds` for something to do, less when a timer is due sooner.
    package func runOnce(waitMilliseconds: Int32 = 0) {
        threadID = pthread_self()
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 64)
        defer { events.deallocate() }
        _ = tick(events, waitMilliseconds: waitMilliseconds)
    }

    /// One pass: readiness, tasks, due timers, a chunk of the flush list. True when it found
    /// events or left flushes pending.
    private func tick(_ events: UnsafeMutableBufferPointer<epoll_event>, waitMilliseconds: Int32?) -> Bool {
        let pending = flushed < dirty.count
        var timeout = pending ? 0 : timers.timeout(now: now)
        if let waitMilliseconds, timeout < 0 || timeout > waitMilliseconds { timeout = waitMilliseconds }
        let count: Int
        do throws(SystemError) {
            count = try epoll.wait(into: events, timeoutMilliseconds: timeout)
        } catch {
            // The loop's own epoll instance is unusable: retrying would spin, and serving on
            // with a dead loop would hang every connection the kernel still routes to it.
            Log.error("event loop cannot wait", ["loop": String(index), "error": "\(error)"])
            fatalError("epoll_wait failed on loop \(index): \(error)")
        }
        now = Clock.monotonicMilliseconds()
        for i in 0..<count { dispatch(events[i]) }
        runTasks()
        while let callback = timers.popDue(now: now) { callback() }
        flushDirty()
        return count > 0 || pending
    }

    private func dispatch(_ event: epoll_event) {
        let fd = Int(Int32(truncatingIfNeeded: event.data.u64))
        if fd == Int(wakeup.fd) {
            wakeup.drain()
            return
        }
        guard fd < handlers.count, let handler = handlers[fd] else { return }
        handler.handleEvents(event.events)
    }

    private func runTasks() {
        tasks.withLock { swap(&$0, &runningTasks) }
        for task in runningTasks { task() }
        runningTasks.removeAll(keepingCapacity: true)
    }

    /// Sockets flushed before the loop looks at its descriptors and tasks again. A fan-out to
    /// a thousand sockets costs several milliseconds of sends here (loopback TCP does the
    /// receiver's work in the sender's call); in chunks, new messages reach the store and acks
    /// go out between them instead of after all of them.
    private static let flushBatch = 32
    /// `dirty[..<flushed]` are done; the rest wait for the next chunk.
    private var flushed = 0

    private func flushDirty() {
        // In arrival order: a socket made dirty by another's flush (a close that notifies
        // peers) is reached in this chunk or a following one.
        let end = flushed + Self.flushBatch
        while flushed < dirty.count && flushed < end {
            dirty[flushed].flushAtEndOfTick()
            flushed += 1
        }
        if flushed == dirty.count {
            dirty.removeAll(keepingCapacity: true)
            flushed = 0
        } else if flushed >= 4096 {
            // Under sustained fan-out the list may never empty; drop the finished prefix.
            dirty.removeFirst(flushed)
            flushed = 0
        }
    }
}
