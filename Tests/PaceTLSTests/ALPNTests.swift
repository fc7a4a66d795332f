import PaceTLS
import Testing

@Suite("ALPN offer parsing")
struct ALPNTests {
    static let cases: [(offer: [UInt8], expected: Int?)] = [
        (ALPN.http11, 1),
        ([2] + Array("h2".utf8) + ALPN.http11, 4),
        ([2] + Array("h2".utf8), nil),
        ([], nil),
        ([8] + Array("http/1.0".utf8), nil),
        ([9] + Array("http/1.1".utf8), nil),  // length runs past the end
        ([0] + ALPN.http11, nil),  // empty names are malformed
        ([7] + Array("http/1.".utf8) + ALPN.http11, 9),
    ]

    @Test("finds http/1.1 in a length-prefixed list", arguments: cases)
    func offset(offer: [UInt8], expected: Int?) {
        #expect(offer.withUnsafeBytes { ALPN.offsetOfHTTP11(in: $0) } == expected)
    }

    @Test("every truncation of a valid offer is rejected or still correct")
    func truncations() {
        let offer: [UInt8] = [2] + Array("h2".utf8) + ALPN.http11
        for cut in 0..<offer.count {
            #expect(offer[0..<cut].withUnsafeBytes { ALPN.offsetOfHTTP11(in: $0) } == nil)
        }
    }
}
