import Testing
@testable import PaceHTTP

struct PercentDecodingTests {
    @Test(arguments: [
        ("abc", "abc"),
        ("", ""),
        ("a%20b", "a b"),
        ("a+b", "a+b"),
        ("%E2%9C%93", "\u{2713}"),
        ("%e2%9c%93", "\u{2713}"),
        ("caf%C3%A9", "caf\u{E9}"),
        ("%25", "%"),
        ("%3F%23", "?#"),
    ])
    func decodesPathSegments(_ raw: String, _ decoded: String) {
        #expect(PercentDecoding.decodePathSegment(bytes(raw)) == decoded)
    }

    @Test(arguments: ["%", "%4", "a%zz", "%G0", "%2F", "%2f", "%00", "%C3", "%FF", "%C3%28", "%ED%A0%80", "a\0b"])
    func rejectsBadPathSegments(_ raw: String) {
        #expect(PercentDecoding.decodePathSegment(bytes(raw)) == nil)
    }

    @Test func queryComponentsTakePlusAsSpaceAndAllowSlash() {
        #expect(PercentDecoding.decodeQueryComponent(bytes("a+b%2Fc%2B")) == "a b/c+")
        #expect(PercentDecoding.decodeQueryComponent(bytes("%00")) == nil)
    }

    @Test func decodesFromABufferSlice() {
        let input = bytes("GET /users/j%C3%B6rg HTTP/1.1")
        let segment = input.withUnsafeBytes { PercentDecoding.decodePathSegment(UnsafeRawBufferPointer(rebasing: $0[11..<20])) }
        #expect(segment == "j\u{F6}rg")
    }

    @Test func parsesQueryStrings() throws {
        let pairs = try #require(QueryString.parse(bytes("a=1&b=two+words&c=%26%3D&&d&=e&f=")))
        #expect(pairs.map(\.name) == ["a", "b", "c", "d", "", "f"])
        #expect(pairs.map(\.value) == ["1", "two words", "&=", "", "e", ""])
    }

    @Test func valueAfterTheFirstEqualsKeepsTheRest() throws {
        let pairs = try #require(QueryString.parse(bytes("token=a=b")))
        #expect(pairs.first?.value == "a=b")
    }

    @Test func emptyQueryHasNoPairs() {
        #expect(QueryString.parse(bytes(""))?.isEmpty == true)
    }

    @Test(arguments: ["a=%G1", "%=1", "a=%C3", "a=%00"])
    func rejectsUndecodableQueries(_ raw: String) {
        #expect(QueryString.parse(bytes(raw)) == nil)
    }

    @Test func boundsThePairCount() {
        #expect(QueryString.parse(bytes("a=1&b=2"), maxPairs: 2)?.count == 2)
        #expect(QueryString.parse(bytes("a=1&b=2&c=3"), maxPairs: 2) == nil)
    }

    @Test func looksUpOneValue() {
        let query = bytes("limit=20&before=35&limit=30")
        #expect(QueryString.value(named: "limit", in: query) == "20")
        #expect(QueryString.value(named: "after", in: query) == nil)
    }
}
