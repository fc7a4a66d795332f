import PaceApp
import Testing

@Suite("Origin policy of the chat socket")
struct OriginPolicyTests {
    @Test(arguments: [
        (nil as String?, "localhost:8080" as String?, true),
        ("http://localhost:8080", "localhost:8080", true),
        ("HTTP://LocalHost:8080", "localhost:8080", true),
        ("https://chat.example", "chat.example", true),
        ("https://chat.example", "chat.example:443", true),
        ("http://chat.example", "chat.example:80", true),
        ("https://chat.example", "chat.example:80", false),
        ("http://localhost:8081", "localhost:8080", false),
        ("http://localhost", "localhost:8080", false),
        ("https://evil.example", "chat.example", false),
        ("https://chat.example.evil", "chat.example", false),
        ("https://chat.example/path", "chat.example", false),
        ("null", "chat.example", false),
        ("chat.example", "chat.example", false),
        ("ws://chat.example", "chat.example", false),
        ("https://", "", false),
        ("https://chat.example", nil, false),
    ])
    func sameHost(origin: String?, host: String?, allowed: Bool) {
        #expect(OriginPolicy.sameHost.allows(origin: origin, host: host) == allowed)
    }

    @Test func theSettingNamesThePolicy() {
        #expect(OriginPolicy(setting: nil) == .sameHost)
        #expect(OriginPolicy(setting: " ") == .sameHost)
        #expect(OriginPolicy(setting: "*") == .any)
        #expect(OriginPolicy(setting: "https://a.example, *") == .any)
        #expect(OriginPolicy(setting: "https://A.example, https://b.example,") == .listed(["https://a.example", "https://b.example"]))
    }

    @Test func aListAdmitsExactlyItsOriginsAndNonBrowsers() {
        let policy = OriginPolicy(setting: "https://a.example")
        #expect(policy.allows(origin: "https://a.example", host: "pace.internal"))
        #expect(policy.allows(origin: "https://A.EXAMPLE", host: nil))
        #expect(!policy.allows(origin: "https://a.example:8443", host: "a.example:8443"))
        #expect(!policy.allows(origin: "http://pace.internal", host: "pace.internal"))
        #expect(policy.allows(origin: nil, host: nil))
        #expect(OriginPolicy.any.allows(origin: "null", host: nil))
    }
}
