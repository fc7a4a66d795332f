import PaceApp
import Testing

@Suite("Mentions: parsing bodies")
struct MentionParserTests {
    @Test(arguments: [
        ("hi @ann", ["ann"], false),
        ("@Ann and @BOB.", ["ann", "bob"], false),
        ("@ann @ann @ann", ["ann"], false),
        ("mail ann@example.com", [], false),
        ("@@ann", [], false),
        ("@channel heads up", [], true),
        ("(@here) and @cat_2-x", ["cat_2-x"], true),
        ("@ab is too short, @\(String(repeating: "a", count: 33)) too long", [], false),
        ("no mentions", [], false),
        ("ending @", [], false),
        ("@ana.belle...", ["ana.belle"], false),
        ("émoji@ann", [], false),
    ])
    func parses(_ body: String, _ names: [String], _ everyone: Bool) {
        #expect(MentionParser(body: body) == MentionParser(names: names, everyone: everyone))
    }

    @Test func namesAreBounded() {
        let body = (0..<80).map { "@user\($0)" }.joined(separator: " ")
        #expect(MentionParser(body: body).names.count == MentionParser.maximumNames)
    }
}
