import PaceLoop
import PaceSystem
import Synchronization
import Testing

@Suite struct BlockingPoolTests {
    @Test func runsEveryTaskAndDrainsOnShutdown() throws {
        let pool = try BlockingPool(threads: 3)
        let counter = Atomic<Int>(0)
        for _ in 0..<1000 { pool.submit { counter.add(1, ordering: .relaxed) } }
        pool.shutdown()
        #expect(counter.load(ordering: .relaxed) == 1000)
    }

    @Test func loopRunsTasksFromOtherThreadsAndTimers() throws {
        let results = Mutex<[String]>([])
        let group = try EventLoopGroup(count: 1) { loop in
            loop.schedule(after: 20) { results.withLock { $0.append("timer") } }
        }
        group.loops[0].execute { results.withLock { $0.append("task") } }
        waitUntil { results.withLock { $0.count } >= 2 }
        group.stopAndJoin()
        #expect(results.withLock { $0 } == ["task", "timer"])
    }
}
