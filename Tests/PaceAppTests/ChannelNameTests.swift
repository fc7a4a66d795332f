import PaceApp
import Testing

@Suite("Channels: names and their keys")
struct ChannelNameTests {
    @Test(arguments: ["general", "Team Alpha", "ops-2026", "a", "x.y_z", String(repeating: "n", count: 80)])
    func acceptableNames(_ name: String) {
        #expect(ChannelName.problem(name) == nil)
    }

    @Test(arguments: [
        "", String(repeating: "n", count: 81), "tab\there", "new\nline", "nul\u{0}", "zero\u{200B}width",
        "\u{202E}rtl", "gener\u{0430}l", "ｇｅｎｅｒａｌ", "café", " lead", "trail ", "two  spaces", "semi;colon",
    ])
    func refusedNames(_ name: String) {
        #expect(ChannelName.problem(name) != nil)
    }

    @Test func keysFoldASCIICaseOnly() {
        #expect(ChannelName.key("General-Ops_2.X") == "general-ops_2.x")
        #expect(ChannelName.key("general") == ChannelName.key("GENERAL"))
    }
}
