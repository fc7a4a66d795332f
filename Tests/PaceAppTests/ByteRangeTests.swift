@testable import PaceApp
import Testing

@Suite("Range header")
struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-0", ByteRange.partial(first: 0, last: 0)),
        ("bytes=99-99", .partial(first: 99, last: 99)),
        ("bytes=10-19", .partial(first: 10, last: 19)),
        ("bytes=90-", .partial(first: 90, last: 99)),
        ("bytes=0-", .partial(first: 0, last: 99)),
        ("bytes=-1", .partial(first: 99, last: 99)),
        ("bytes=-10", .partial(first: 90, last: 99)),
        ("bytes=-500", .partial(first: 0, last: 99)),
        ("bytes=50-5000", .partial(first: 50, last: 99)),
        ("BYTES=1-2", .partial(first: 1, last: 2)),
        (" bytes= 3-4 ", .partial(first: 3, last: 4)),
        ("bytes=100-", .unsatisfiable),
        ("bytes=100-200", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-2", .full),
        ("bytes=0-1,5-6", .full),
        ("bytes=a-b", .full),
        ("bytes=-", .full),
        ("bytes=1", .full),
        ("items=0-1", .full),
        ("bytes=99999999999999999999-", .full),
        ("bytes=+1-2", .full),
    ])
    func rangesOfAHundredByteFile(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange.evaluate(header, size: 100) == expected)
    }

    @Test func anEmptyFileSatisfiesNoRange() {
        #expect(ByteRange.evaluate("bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange.evaluate("bytes=-1", size: 0) == .unsatisfiable)
        #expect(ByteRange.evaluate(nil, size: 0) == .full)
    }
}
