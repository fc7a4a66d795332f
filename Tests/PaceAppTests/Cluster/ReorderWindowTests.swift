import Testing
@testable import PaceApp

/// Events from several instances leave the window in commit order.
struct ReorderWindowTests {
    private func message(_ seq: Int64) -> ChatEvent {
        .messageCreated(conversationID: 1, messageID: seq, seq: seq, senderID: 1, message: [])
    }

    private func keys(_ entries: [ReorderWindow.Entry]) -> [Int64] {
        entries.map { ReorderWindow.key(of: $0.event) ?? -1 }
    }

    @Test func holdsEventsForTheWindow() {
        let window = ReorderWindow(hold: 20)
        window.add(message(5), origin: nil, now: 0)
        #expect(window.due(now: 19).isEmpty)
        #expect(keys(window.due(now: 20)) == [5])
        #expect(window.isEmpty)
    }

    @Test func releasesALaterCommitAfterAnEarlierOneThatArrivedSecond() {
        let window = ReorderWindow(hold: 20)
        window.add(message(6), origin: 9, now: 0)
        window.add(message(5), origin: nil, now: 10)
        window.add(message(8), origin: nil, now: 15)
        let first = window.due(now: 20)
        #expect(keys(first) == [5, 6])
        #expect(first[1].origin == 9)
        #expect(keys(window.due(now: 35)) == [8])
        #expect(window.late == 0)
    }

    @Test func eventsWithoutKeyStayBehindWhatCameBefore() {
        let window = ReorderWindow(hold: 10)
        window.add(message(3), origin: nil, now: 0)
        window.add(.read(conversationID: 1, userID: 2, messageID: 3, seq: 3), origin: nil, now: 0)
        window.add(message(2), origin: nil, now: 1)
        let released = window.due(now: 10)
        #expect(released.count == 3)
        #expect(ReorderWindow.key(of: released[0].event) == 2)
        #expect(ReorderWindow.key(of: released[1].event) == 3)
        if case .read = released[2].event {} else { Issue.record("the read receipt overtook the message") }
    }

    @Test func ownEventsWaitForTheirEcho() {
        let window = ReorderWindow(hold: 5)
        window.add(message(4), origin: 1, now: 0, echo: 17)
        window.add(message(3), origin: nil, now: 0)
        window.add(message(5), origin: nil, now: 0)
        #expect(keys(window.due(now: 50)) == [3], "nothing overtakes the event waiting for its echo")
        window.echoed(17)
        #expect(keys(window.due(now: 50)) == [4, 5])
    }

    @Test func aLaterEchoReleasesOwnEventsWhosePublishWasLost() {
        let window = ReorderWindow(hold: 5)
        window.add(message(4), origin: 1, now: 0, echo: 17)
        window.add(message(5), origin: 1, now: 0, echo: 18)
        window.add(message(6), origin: 1, now: 0, echo: 20)
        window.echoed(19)
        #expect(keys(window.due(now: 50)) == [4, 5], "17 and 18 never came back; 20 is still on its way")
        #expect(window.contains(key: 6) && !window.contains(key: 4))
        window.forgetEchoes()
        #expect(keys(window.due(now: 50)) == [6])
    }

    @Test func countsEventsTooLateToOrder() {
        let window = ReorderWindow(hold: 5)
        window.add(message(10), origin: nil, now: 0)
        _ = window.due(now: 5)
        window.add(message(9), origin: nil, now: 6)
        #expect(window.late == 1)
        #expect(keys(window.due(now: 11)) == [9])
    }
}
