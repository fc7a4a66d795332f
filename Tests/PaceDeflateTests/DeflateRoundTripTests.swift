import Testing
import PaceDeflate

/// Messages compressed the way the server sends them come back whole through the inflater a
/// client would use, at every window size, and the wire form has no flush marker.
struct DeflateRoundTripTests {
    static let chat = Array(String(repeating: #"{"type":"message.new","message":{"id":"42","body":"hello there"}}"#, count: 20).utf8)

    static let samples: [[UInt8]] = [
        [],
        Array("a".utf8),
        chat,
        (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
        [UInt8](repeating: 0x41, count: 200_000),
    ]

    @Test(arguments: [8, 9, 12, 15])
    func roundTripsAtEveryWindow(windowBits: Int) throws {
        let deflater = try #require(MessageDeflater(maxWindowBits: windowBits))
        let inflater = try #require(MessageInflater(windowBits: windowBits))
        for sample in Self.samples {
            let compressed = try #require(sample.withUnsafeBytes { deflater.compress($0) })
            #expect(!compressed.suffix(4).elementsEqual([0, 0, 0xFF, 0xFF]))
            let inflated = compressed.withUnsafeBytes { inflater.inflate($0, limit: 1 << 20, keepContext: true) }
            #expect(inflated == .success(sample))
        }
    }

    @Test func emptyMessageIsOneByte() throws {
        let deflater = try #require(MessageDeflater(maxWindowBits: 15))
        #expect([UInt8]().withUnsafeBytes { deflater.compress($0) } == [0x00])
    }

    @Test func compressesChatText() throws {
        let deflater = try #require(MessageDeflater(maxWindowBits: 15))
        let compressed = try #require(Self.chat.withUnsafeBytes { deflater.compress($0) })
        #expect(compressed.count * 5 < Self.chat.count)
    }

    /// Without context takeover, the same input compresses to the same bytes every time: what
    /// lets one compressed fan-out frame serve every receiver.
    @Test func noContextBetweenMessages() throws {
        let deflater = try #require(MessageDeflater(maxWindowBits: 15))
        let first = Self.chat.withUnsafeBytes { deflater.compress($0) }
        let second = Self.chat.withUnsafeBytes { deflater.compress($0) }
        #expect(first == second)
        let inflater = try #require(MessageInflater(windowBits: 15))
        for message in [first, second] {
            let inflated = try #require(message).withUnsafeBytes { inflater.inflate($0, limit: 1 << 20, keepContext: false) }
            #expect(inflated == .success(Self.chat))
        }
    }

    /// RFC 7692 section 7.2.3.2: "Hello" compressed by a peer that keeps its context; the
    /// second message refers back into the first, so only an inflater that kept the window
    /// reads it.
    @Test func contextTakeoverAcrossMessages() throws {
        let first: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        let second: [UInt8] = [0xF2, 0x00, 0x11, 0x00, 0x00]
        let keeping = try #require(MessageInflater(windowBits: 15))
        #expect(first.withUnsafeBytes { keeping.inflate($0, limit: 100, keepContext: true) } == .success(Array("Hello".utf8)))
        #expect(second.withUnsafeBytes { keeping.inflate($0, limit: 100, keepContext: true) } == .success(Array("Hello".utf8)))

        let forgetting = try #require(MessageInflater(windowBits: 15))
        _ = first.withUnsafeBytes { forgetting.inflate($0, limit: 100, keepContext: false) }
        #expect(second.withUnsafeBytes { forgetting.inflate($0, limit: 100, keepContext: false) } == .failure(.corrupt))
    }

    /// Section 7.2.3.3: a stored ("no compression") block.
    @Test func inflatesStoredBlock() throws {
        let inflater = try #require(MessageInflater(windowBits: 15))
        let stored: [UInt8] = [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]
        #expect(stored.withUnsafeBytes { inflater.inflate($0, limit: 100, keepContext: false) } == .success(Array("Hello".utf8)))
    }

    @Test func anEmptyPayloadIsAnEmptyMessageAndKeepsTheContext() throws {
        let inflater = try #require(MessageInflater(windowBits: 15))
        let first: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        let second: [UInt8] = [0xF2, 0x00, 0x11, 0x00, 0x00]
        #expect(first.withUnsafeBytes { inflater.inflate($0, limit: 100, keepContext: true) } == .success(Array("Hello".utf8)))
        #expect([UInt8]().withUnsafeBytes { inflater.inflate($0, limit: 100, keepContext: true) } == .success([]))
        #expect(second.withUnsafeBytes { inflater.inflate($0, limit: 100, keepContext: true) } == .success(Array("Hello".utf8)))
    }

    @Test func corruptInputFails() throws {
        let inflater = try #require(MessageInflater(windowBits: 15))
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x12]
        #expect(garbage.withUnsafeBytes { inflater.inflate($0, limit: 100, keepContext: true) } == .failure(.corrupt))
        // The error reset the state: the next message inflates.
        let hello: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        #expect(hello.withUnsafeBytes { inflater.inflate($0, limit: 100, keepContext: true) } == .success(Array("Hello".utf8)))
    }
}
