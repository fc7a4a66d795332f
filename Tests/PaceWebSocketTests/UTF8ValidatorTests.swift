import Testing
@testable import PaceWebSocket

/// The streaming validator alone, over the samples of Autobahn group 6.
struct UTF8ValidatorTests {
    @Test(arguments: UTF8Sample.all)
    func wholeInput(_ sample: UTF8Sample) {
        var validator = UTF8Validator()
        let accepted = validator.feed(sample.bytes)
        switch sample.verdict {
        case .valid: #expect(accepted && validator.isComplete)
        case .truncated: #expect(accepted && !validator.isComplete)
        case .invalidAt: #expect(!accepted)
        }
    }

    @Test(arguments: UTF8Sample.all)
    func byteByByteFailsOnTheEarliestByte(_ sample: UTF8Sample) {
        var validator = UTF8Validator()
        let firstRejected = sample.bytes.indices.first { !validator.feed([sample.bytes[$0]]) }
        switch sample.verdict {
        case .valid:
            #expect(firstRejected == nil && validator.isComplete)
        case .truncated:
            #expect(firstRejected == nil && !validator.isComplete)
        case .invalidAt(let index):
            #expect(firstRejected == index)
        }
    }

    @Test(arguments: UTF8Sample.all)
    func splitAtEveryPosition(_ sample: UTF8Sample) {
        for cut in 0...sample.bytes.count {
            var validator = UTF8Validator()
            let first = validator.feed(Array(sample.bytes[..<cut]))
            let second = first && validator.feed(Array(sample.bytes[cut...]))
            switch sample.verdict {
            case .valid:
                #expect(second && validator.isComplete, "cut at \(cut)")
            case .truncated:
                #expect(second && !validator.isComplete, "cut at \(cut)")
            case .invalidAt(let index):
                #expect(first == (cut <= index), "cut at \(cut)")
                #expect(!second, "cut at \(cut)")
            }
        }
    }

    @Test func everyCodePointRoundTripsAsValid() {
        var validator = UTF8Validator()
        var text: [UInt8] = []
        for scalar in (0...0x10FFFF).lazy.compactMap(Unicode.Scalar.init) {
            UTF8.encode(scalar) { text.append($0) }
            if text.count > 4096 {
                let accepted = validator.feed(text)
                #expect(accepted)
                text.removeAll(keepingCapacity: true)
            }
        }
        let accepted = validator.feed(text)
        #expect(accepted && validator.isComplete)
    }

    @Test func agreesWithTheStandardLibraryOnEveryTwoAndThreeBytePrefix() {
        for first in UInt8(0x80)...0xFF {
            for second in UInt8(0)...0xFF {
                let bytes = [first, second, 0x80, 0x80]
                var validator = UTF8Validator()
                let ours = validator.feed(bytes) && validator.isComplete
                let theirs = String(validating: bytes, as: UTF8.self) != nil
                #expect(ours == theirs, "\(bytes)")
            }
        }
    }

    @Test func failureIsSticky() {
        var validator = UTF8Validator()
        let results = [validator.feed([0xC0]), validator.feed(Array("fine".utf8)), validator.feed([])]
        #expect(results == [false, false, false])
    }
}
