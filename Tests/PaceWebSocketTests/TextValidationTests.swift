import Testing
@testable import PaceWebSocket

/// Autobahn group 6 through the reader: invalid UTF-8 fails with 1007 on the byte that
/// makes it invalid, inside a frame and across fragments.
struct TextValidationTests {
    /// Bytes of the frame header in front of each short payload.
    static let header = 6

    static func expected(_ sample: UTF8Sample) -> [WebSocketEvent] {
        sample.verdict == .valid ? [.text(sample.bytes)] : [.fail(closeCode: .invalidPayload)]
    }

    @Test(arguments: UTF8Sample.all)
    func inOneFrame(_ sample: UTF8Sample) {
        let frame = ClientFrame.text(sample.bytes)
        #expect(ReaderHarness.events(frame) == Self.expected(sample))
        let failure = ReaderHarness.failurePoint(frame)?.bytesFed
        switch sample.verdict {
        case .valid: #expect(failure == nil)
        case .truncated: #expect(failure == frame.count)
        case .invalidAt(let index): #expect(failure == Self.header + index + 1)
        }
    }

    @Test(arguments: UTF8Sample.all)
    func inTwoFragmentsSplitAtEveryPosition(_ sample: UTF8Sample) {
        for cut in 0...sample.bytes.count {
            let input = ClientFrame.text(Array(sample.bytes[..<cut]), fin: false)
                + ClientFrame.continuation(Array(sample.bytes[cut...]))
            #expect(ReaderHarness.events(input) == Self.expected(sample), "cut at \(cut)")
            let failure = ReaderHarness.failurePoint(input)?.bytesFed
            switch sample.verdict {
            case .valid: #expect(failure == nil, "cut at \(cut)")
            case .truncated: #expect(failure == input.count, "cut at \(cut)")
            case .invalidAt(let index):
                let frameHeaders = index < cut ? Self.header : 2 * Self.header
                #expect(failure == frameHeaders + index + 1, "cut at \(cut)")
            }
        }
    }

    @Test(arguments: UTF8Sample.all)
    func inOneByteFragmentsWithPingsBetween(_ sample: UTF8Sample) {
        guard !sample.bytes.isEmpty else { return }
        var input: [UInt8] = []
        for (index, byte) in sample.bytes.enumerated() {
            input += ClientFrame.make(index == 0 ? 0x1 : 0x0, [byte], fin: index == sample.bytes.count - 1)
            if index < sample.bytes.count - 1 { input += ClientFrame.ping() }
        }
        let events = ReaderHarness.events(input)
        #expect(events.last == Self.expected(sample).last)
        if case .invalidAt(let index) = sample.verdict {
            #expect(events.dropLast() == Array(repeating: .ping([]), count: index)[...])
            #expect(ReaderHarness.failurePoint(input)?.bytesFed == index * 13 + 7)
        }
    }

    @Test func aMessageEndingInsideASequenceFailsAtItsLastFrame() {
        let input = ClientFrame.text([0xE0, 0xA0], fin: false) + ClientFrame.continuation([]) + ClientFrame.text("next")
        #expect(ReaderHarness.events(input) == [.fail(closeCode: .invalidPayload)])
    }

    @Test func aSequenceMaySpanFragments() {
        let input = ClientFrame.text([0xF0], fin: false) + ClientFrame.continuation([0x9F], fin: false)
            + ClientFrame.continuation([0x98, 0x80])
        #expect(ReaderHarness.events(input) == [.text([0xF0, 0x9F, 0x98, 0x80])])
    }

    @Test func binaryMessagesAreNotValidated() {
        let payload: [UInt8] = [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xFF]
        #expect(ReaderHarness.events(ClientFrame.binary(payload)) == [.binary(payload)])
    }
}
