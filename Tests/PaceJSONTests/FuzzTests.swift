import Testing
@testable import PaceJSON

/// Random and mutated inputs must only ever produce a value or a `JSONError`, and whatever
/// parses must survive a write and re-parse unchanged.
struct FuzzTests {
    /// SplitMix64: small, seeded, and the same on every run, so a failure reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    static let seeds: [String] = [
        #"{"type":"message.send","ref":"r1","conversation_id":"c1","body":"hello \u00e9 😀","client_id":"x","attachment_ids":["a","b"]}"#,
        #"[1,-2.5e-3,true,false,null,"\ud83d\ude00\n",{"a":[{"b":{}}]},[[[]]],9223372036854775807]"#,
        #"{"a":"\"\\\/\b\f\n\r\t","é":0,"z":[-0,0.0,1E+2]}"#,
    ]

    /// Bytes that matter to the grammar, so mutations reach deep states more often than noise does.
    static let interesting: [UInt8] = Array(#"{}[]",:\u0123456789-+.eEtfn"#.utf8)
        + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]

    private func checkNoTrap(_ bytes: [UInt8]) {
        do {
            let value = try JSONParser.parse(bytes)
            var writer = JSONWriter()
            writer.value(value)
            #expect(try JSONParser.parse(writer.bytes) == value, "round trip of \(bytes)")
        } catch {
            #expect(error.offset >= 0 && error.offset <= bytes.count)
        }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SeededGenerator(state: 0x5EED)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...64, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator)
                    ? UInt8.random(in: 0...255, using: &generator)
                    : Self.interesting.randomElement(using: &generator) ?? 0
            }
            checkNoTrap(bytes)
        }
    }

    @Test(arguments: seeds)
    func mutatedDocumentsNeverTrap(_ seed: String) {
        var generator = SeededGenerator(state: UInt64(seed.utf8.count))
        let original = Array(seed.utf8)
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0...Int.random(in: 0...3, using: &generator) {
                mutate(&bytes, using: &generator)
            }
            checkNoTrap(bytes)
        }
    }

    private func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        let position = Int.random(in: 0...bytes.count, using: &generator)
        let byte = Self.interesting.randomElement(using: &generator) ?? 0
        switch Int.random(in: 0..<4, using: &generator) {
        case 0 where position < bytes.count: bytes[position] = byte
        case 1: bytes.insert(byte, at: position)
        case 2 where position < bytes.count: bytes.remove(at: position)
        default: bytes = Array(bytes[..<position])
        }
    }

    @Test(arguments: seeds)
    func everyPrefixFailsCleanly(_ seed: String) {
        let bytes = Array(seed.utf8)
        for cut in 0..<bytes.count {
            #expect(throws: JSONError.self) { try JSONParser.parse(Array(bytes[..<cut])) }
        }
        checkNoTrap(bytes)
    }

    @Test func randomTimestampsNeverTrap() {
        var generator = SeededGenerator(state: 0x7157)
        let template = Array("2026-11-21T10:00:00.123+01:30".utf8)
        for _ in 0..<3000 {
            var bytes = template
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            let text = String(decoding: bytes, as: UTF8.self)
            if let milliseconds = Timestamp.milliseconds(rfc3339: text) {
                #expect(Timestamp.milliseconds(rfc3339: Timestamp.rfc3339(milliseconds: milliseconds)) == milliseconds)
            }
            let instant = Int64(bitPattern: generator.next())
            #expect(Timestamp.rfc3339(milliseconds: instant).utf8.count == 24)
        }
    }
}
