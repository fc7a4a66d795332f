@testable import PaceLoop
import Testing

@Suite struct TimerHeapTests {
    @Test func firesInDeadlineOrderAndSkipsCancelled() {
        var heap = TimerHeap()
        var fired: [Int] = []
        nonisolated(unsafe) var log: [Int] = []
        for deadline in [50, 10, 40, 20, 30] {
            _ = heap.schedule(at: Int64(deadline)) { log.append(deadline) }
        }
        let cancelled = heap.schedule(at: 25) { log.append(25) }
        heap.cancel(cancelled)
        #expect(heap.timeout(now: 0) == 10)
        while let callback = heap.popDue(now: 35) { callback() }
        fired = log
        #expect(fired == [10, 20, 30])
        #expect(heap.timeout(now: 35) == 5)
        while let callback = heap.popDue(now: 100) { callback() }
        #expect(log == [10, 20, 30, 40, 50])
        #expect(heap.timeout(now: 100) == -1)
    }

    @Test func pastDeadlinesGiveAZeroTimeout() {
        var heap = TimerHeap()
        _ = heap.schedule(at: 5) {}
        #expect(heap.timeout(now: 10) == 0)
    }
}
