#if canImport(Glibc)
import Glibc
#endif
import CShims
import PaceSystem
import Synchronization
import Testing

@Suite("epoll: errors are values, a signal is not an error", .serialized)
struct EpollTests {
    @Test func controlErrorsAreThrownNotSwallowed() throws {
        let epoll = try Epoll()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(throws: SystemError("epoll_ctl", code: ENOENT)) { try epoll.modify(ends[0], .readable) }
        #expect(throws: SystemError("epoll_ctl", code: ENOENT)) { try epoll.remove(ends[0]) }
        try epoll.add(ends[0], .readable)
        #expect(throws: SystemError("epoll_ctl", code: EEXIST)) { try epoll.add(ends[0], .readable) }
        try epoll.modify(ends[0], [.readable, .writable])
        try epoll.remove(ends[0])
    }

    @Test func aSignalEndsTheWaitWithNoEvents() throws {
        signal(SIGUSR1) { _ in }
        let waiter = Atomic<UInt>(0)
        let outcome = Mutex<(count: Int, milliseconds: Int64)?>(nil)
        let thread = try OSThread(name: "waiter") {
            // Test runner threads may block signals; this one takes SIGUSR1.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            guard let epoll = try? Epoll() else { return }
            let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 4)
            defer { events.deallocate() }
            waiter.store(UInt(pthread_self()), ordering: .releasing)
            let started = Clock.monotonicMilliseconds()
            let count = (try? epoll.wait(into: events, timeoutMilliseconds: 5_000)) ?? -1
            outcome.withLock { $0 = (count, Clock.monotonicMilliseconds() - started) }
        }
        while waiter.load(ordering: .acquiring) == 0 { usleep(1_000) }
        usleep(100_000)
        pthread_kill(pthread_t(waiter.load(ordering: .acquiring)), SIGUSR1)
        thread.join()
        let result = try #require(outcome.withLock { $0 })
        #expect(result.count == 0, "EINTR reads as zero events, not an error")
        #expect(result.milliseconds < 4_000, "the signal, not the timeout, ended the wait")
    }

    @Test func aBrokenInstanceIsAnErrorNotZeroEvents() throws {
        let epoll = try Epoll()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        // The epoll descriptor now names a pipe: epoll_wait answers EINVAL.
        #expect(dup2(ends[0], epoll.fd) == epoll.fd)
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 4)
        defer { events.deallocate() }
        #expect(throws: SystemError("epoll_wait", code: EINVAL)) { try epoll.wait(into: events, timeoutMilliseconds: 0) }
    }
}

@Suite("Countdown latch")
struct CountdownLatchTests {
    @Test func waitsForEveryCountOrTheDeadline() throws {
        let latch = CountdownLatch(count: 2)
        let started = Clock.monotonicMilliseconds()
        #expect(!latch.wait(untilMonotonicMilliseconds: started + 100))
        #expect(Clock.monotonicMilliseconds() - started >= 100)
        let counter = try OSThread(name: "counter") {
            usleep(50_000)
            latch.countDown()
            latch.countDown()
        }
        defer { counter.join() }
        #expect(latch.wait(untilMonotonicMilliseconds: Clock.monotonicMilliseconds() + 5_000))
        latch.wait()
    }
}
