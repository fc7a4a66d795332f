import Testing
@testable import PaceBench

@Suite struct SecondWindowsTests {
    private let second: UInt64 = 1_000_000_000

    @Test func worstSecondsAreTheHighestMaximaInTimeOrder() {
        var windows = SecondWindows(duration: 5)
        for (index, peak) in [2_000, 90_000, 3_000, 50_000, 1_000].enumerated() {
            windows.record(1_000, sentAt: UInt64(index) * second)
            windows.record(UInt64(peak), sentAt: UInt64(index) * second + second / 2)
        }
        let worst = windows.worst(2)
        #expect(worst.map(\.second) == [1, 3])
        #expect(worst.map(\.histogram.max) == [90_000, 50_000])
        #expect(worst.map(\.histogram.count) == [2, 2])
    }

    @Test func lateDeliveriesCountInTheSecondTheMessageWasSent() {
        var windows = SecondWindows(duration: 2.5)
        windows.record(7_000_000_000, sentAt: second + 10)
        windows.record(5, sentAt: 60 * second)
        #expect(windows.worst(3).map(\.second) == [1, 2])
        #expect(windows.worst(1).first?.histogram.max == 7_000_000_000)
    }

    @Test func emptySecondsAreNeverReported() {
        #expect(SecondWindows(duration: 10).worst(5).isEmpty)
    }
}
