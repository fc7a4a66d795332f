import PaceApp
import PaceLoop
import PaceStore
import PaceTestSupport
import Synchronization
import Testing

/// A store whose reads fail with `.busy` while `failing` is set; everything else goes to a real
/// store.
private final class FlakyStore: Store {
    let inner: any Store
    let failing = Atomic<Bool>(true)

    init(_ inner: any Store) {
        self.inner = inner
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
                           completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        if failing.load(ordering: .relaxed) { return completion(.failure(.busy(message: "locked"))) }
        inner.read(work, completion: completion)
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T,
                            completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        inner.write(work, completion: completion)
    }

    func readNow<T>(_ work: (any StoreTransaction) throws(StoreError) -> T) throws(StoreError) -> T {
        try inner.readNow(work)
    }

    func writeNow<T: Sendable>(_ work: @escaping @Sendable (any StoreTransaction) throws(StoreError) -> T)
        throws(StoreError) -> T {
        try inner.writeNow(work)
    }

    func close() {
        inner.close()
    }

    func renderMetrics() -> String {
        inner.renderMetrics()
    }
}

@Suite("Hub lookups on a failing store")
struct HubLookupTests {
    /// A message for a conversation the hub has not cached needs its members read; while reads
    /// fail, it and everything published after it (even an event that needs no read) wait, and
    /// the read is retried; once reads work, both go out, none skipped.
    @Test func aFailingMembershipReadDelaysTheFanOutAndNeverSkipsIt() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let store = FlakyStore(try ChatStore.open(.loopback(directory: directory)))
        defer { store.close() }
        let bus = LocalEventBus()
        let hub = try Hub(store: store, events: bus, configuration: RealtimeConfiguration())
        defer { hub.shutdown() }
        let group = try EventLoopGroup(count: 1) { _ in }
        defer { group.stopAndJoin() }
        hub.attach(loops: group.loops)

        bus.publish(.messageCreated(conversationID: 7, messageID: 1, seq: 1, senderID: 1, message: Array("{}".utf8)),
                    origin: nil)
        bus.publish(.conversationUpdated(conversationID: 8, memberIDs: [1], removedIDs: [], conversation: Array("{}".utf8)),
                    origin: nil)
        #expect(eventually { Self.figure(hub, "pace_hub_lookups_failed_total") >= 3 })
        #expect(Self.figure(hub, "pace_hub_events_total") == 0)
        store.failing.store(false, ordering: .relaxed)
        #expect(eventually { Self.figure(hub, "pace_hub_events_total") == 2 })
    }

    private static func figure(_ hub: Hub, _ name: String) -> Int {
        for line in hub.statistics.render().split(separator: "\n") where line.hasPrefix(name + " ") {
            return Int(line.dropFirst(name.count + 1)) ?? -1
        }
        return -1
    }
}
