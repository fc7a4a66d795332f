import PaceLoop
import PaceSystem
import Synchronization
import Testing

/// What the loop did, in order, as the probes and tasks saw it.
private final class Journal: Sendable {
    let entries = Mutex<[String]>([])
    func note(_ entry: String) { entries.withLock { $0.append(entry) } }
    var snapshot: [String] { entries.withLock { $0 } }
}

/// A dirty socket stand-in: flushing writes its name into the journal and runs `then`.
///
/// `@unchecked Sendable`: created on the test thread, then used only on the loop thread.
private final class FlushProbe: TickFlushable, @unchecked Sendable {
    let name: String
    let journal: Journal
    var then: (() -> Void)?
    init(_ name: String, _ journal: Journal, then: (() -> Void)? = nil) {
        self.name = name
        self.journal = journal
        self.then = then
    }
    func flushAtEndOfTick() {
        journal.note(name)
        then?()
    }
}

@Suite struct FlushListTests {
    private func withLoop(_ body: (EventLoop) throws -> Void) throws {
        let group = try EventLoopGroup(count: 1) { _ in }
        defer { group.stopAndJoin() }
        try body(group.loops[0])
    }

    @Test func aLongFlushListDrainsInOrderWithoutFurtherEvents() throws {
        let journal = Journal()
        let probes = (0..<200).map { FlushProbe("p\($0)", journal) }
        try withLoop { loop in
            loop.execute { for probe in probes { loop.flushAtEndOfTick(probe) } }
            waitUntil { journal.snapshot.count >= 200 }
        }
        #expect(journal.snapshot == (0..<200).map { "p\($0)" })
    }

    @Test func workArrivingDuringALongFlushRunsBetweenChunks() throws {
        let journal = Journal()
        let probes = (0..<200).map { FlushProbe("p\($0)", journal) }
        try withLoop { loop in
            probes[0].then = { loop.execute { journal.note("task") } }
            loop.execute { for probe in probes { loop.flushAtEndOfTick(probe) } }
            waitUntil { journal.snapshot.count >= 201 }
        }
        let entries = journal.snapshot
        let task = try #require(entries.firstIndex(of: "task"))
        // Behind the first chunk, well ahead of the last socket.
        #expect(task > 1 && task < 100)
        #expect(entries.filter { $0 != "task" } == (0..<200).map { "p\($0)" })
    }

    @Test func aHandlerMadeDirtyByAFlushIsReached() throws {
        let journal = Journal()
        let late = FlushProbe("late", journal)
        let probes = (0..<50).map { FlushProbe("p\($0)", journal) }
        try withLoop { loop in
            probes[49].then = { loop.flushAtEndOfTick(late) }
            loop.execute { for probe in probes { loop.flushAtEndOfTick(probe) } }
            waitUntil { journal.snapshot.count >= 51 }
        }
        #expect(journal.snapshot.last == "late")
        #expect(journal.snapshot.count == 51)
    }
}
