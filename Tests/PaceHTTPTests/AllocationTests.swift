import PaceAddress
import Testing
@testable import PaceHTTP

/// The /healthz path must not allocate. Allocation cannot be counted from pure Swift, so
/// these check the two ways it could happen: parser state holding a reference (a String, an
/// array, a class) and the caller's header array growing.
struct AllocationTests {
    @Test func parserStateHoldsNoReferences() {
        #expect(_isPOD(RequestHeadParser.self))
        #expect(_isPOD(RequestHead.self))
        #expect(_isPOD(HeadParseResult.self))
        #expect(_isPOD(HTTPHeaderField.self))
        #expect(_isPOD(BodyDecoder.self))
        #expect(_isPOD(BodyStep.self))
    }

    /// Peers and resolved clients travel with every request: plain 16-byte values.
    @Test func addressesAreValues() {
        #expect(_isPOD(IPAddress.self))
        #expect(_isPOD(ClientAddress.self))
        #expect(_isPOD(ForwardedNode.self))
        #expect(MemoryLayout<IPAddress>.size == 16)
    }

    @Test func headerArrayKeepsItsStorageAcrossRequests() {
        let healthz = bytes("GET /healthz HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: probe\r\nAccept: */*\r\n\r\n")
        var parser = RequestHeadParser()
        var headers: [HTTPHeaderField] = []
        headers.reserveCapacity(parser.limits.maxHeaderCount)
        let base = headers.withUnsafeBufferPointer { $0.baseAddress }
        let capacity = headers.capacity
        healthz.withUnsafeBytes { buffer in
            for _ in 0..<1000 {
                guard case .complete(let head) = parser.parse(buffer, into: &headers) else {
                    Issue.record("healthz did not parse")
                    return
                }
                #expect(head.headerCount == 3)
            }
        }
        #expect(headers.withUnsafeBufferPointer { $0.baseAddress } == base)
        #expect(headers.capacity == capacity)
    }
}
