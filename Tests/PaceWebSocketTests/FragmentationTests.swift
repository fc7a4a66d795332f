import Testing
@testable import PaceWebSocket

/// Autobahn group 5: messages split over frames, with control frames in between.
struct FragmentationTests {
    /// `payload` cut into `count` fragments of nearly equal size (some may be empty).
    static func fragments(_ payload: [UInt8], count: Int, opcode: UInt8, interleaving control: [UInt8] = []) -> [UInt8] {
        var frames: [UInt8] = []
        for index in 0..<count {
            let range = (payload.count * index / count)..<(payload.count * (index + 1) / count)
            frames += ClientFrame.make(index == 0 ? opcode : 0x0, Array(payload[range]), fin: index == count - 1)
            if index < count - 1 { frames += control }
        }
        return frames
    }

    @Test(arguments: 2...9)
    func textInFragmentsIsOneMessage(count: Int) {
        let payload = Array("Hello, fragmented world! κόσμε".utf8)
        let input = Self.fragments(payload, count: count, opcode: 0x1)
        #expect(ReaderHarness.events(input) == [.text(payload)])
    }

    @Test(arguments: [2, 3, 16])
    func binaryInFragmentsIsOneMessage(count: Int) {
        let payload = ClientFrame.bytes(count: 70_000)
        let input = Self.fragments(payload, count: count, opcode: 0x2)
        #expect(ReaderHarness.events(input) == [.binary(payload)])
    }

    @Test func aMessageOfOneByteFragments() {
        let payload = ClientFrame.ascii(count: 40)
        let input = Self.fragments(payload, count: 40, opcode: 0x1)
        #expect(ReaderHarness.events(input) == [.text(payload)])
    }

    @Test func pingsBetweenFragmentsComeOutFirst() {
        let payload = Array("fragmented".utf8)
        let input = Self.fragments(payload, count: 3, opcode: 0x1, interleaving: ClientFrame.ping([7]))
        #expect(ReaderHarness.events(input) == [.ping([7]), .ping([7]), .text(payload)])
    }

    @Test func pongsBetweenFragmentsComeOutFirst() {
        let payload = ClientFrame.bytes(count: 300)
        let input = Self.fragments(payload, count: 2, opcode: 0x2, interleaving: ClientFrame.pong([1, 2, 3]))
        #expect(ReaderHarness.events(input) == [.pong([1, 2, 3]), .binary(payload)])
    }

    @Test func emptyFragmentsMakeAnEmptyMessage() {
        let input = ClientFrame.text([], fin: false) + ClientFrame.continuation([], fin: false) + ClientFrame.continuation([])
        #expect(ReaderHarness.events(input) == [.text([])])
    }

    @Test func aCloseBetweenFragmentsEndsReading() {
        let input = ClientFrame.text("frag", fin: false) + ClientFrame.close(code: 1000) + ClientFrame.continuation(Array("ment".utf8))
        #expect(ReaderHarness.events(input) == [.close(code: .normalClosure, reason: [])])
    }

    @Test func messagesFollowEachOther() {
        let input = Self.fragments(Array("first".utf8), count: 2, opcode: 0x1)
            + ClientFrame.text("second")
            + Self.fragments([1, 2, 3], count: 3, opcode: 0x2)
        #expect(ReaderHarness.events(input) == [.text(Array("first".utf8)), .text(Array("second".utf8)), .binary([1, 2, 3])])
    }
}
