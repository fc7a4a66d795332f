import PaceCrypto
import PaceJSON
import Testing
@testable import PaceApp

/// ID token parsing and checks against one RS256 token signed once with the `openssl` command
/// line (the key of VerificationKeyTests' RS256 vector), and hand-made unsigned variants.
@Suite struct IDTokenTests {
    static let token = """
        eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUiLCJzdWIiOiIyNDgyODk3NjEwMDEiLCJhdWQiOiJw\
        YWNlIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjE3MDAwMDAwMDAsIm5vbmNlIjoibi0wUzZfV3pBMk1qIiwicHJlZmVycmVkX3VzZXJuYW1lIjoi\
        amFuZSJ9.M3yhn4GViFyUyCspgAH4KLq0LUBNzPpdqfT4rRgIwc7vhEJo7D2Ke7-lfpZQuEvA9wkuU6FYukG64w_RkYkIX7Aw25_jiHGsPJfyB07e\
        L6uRA22M093bifmbkY1QKb1n2RPuRgeYM_qEQdqGZj0cJcBFqSmAxeSiiDZxD08JoK7aB1XuudI8-9jdIu-E3kx_ca4CPPrYPkgS7EnHG76gTt1L\
        GMBWt5X-drqUvlToTFcaVTrbjkC_SmGPOheYOrPIZG_9HHYRfiEmrrFgRVbLPXHhledsST1tcH297MkbbSZnFGBbmbSVhp-LPqSITeu-Q5V8T9XdTt\
        4fnqH3L8ZGHQ
        """
    static let jwks = """
        {"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","e":"AQAB","n":"\
        3AsouymcRc1UyB5d9vcM2eY0g09kqhnRqm10gmwHRZALjlmNJF1uGXoNNYrBJy7hI_hW-8FZiIhKTP3_PAjeDBrQoGXg4iGKFzDsMroV7VGJed8d\
        qijNVUGnTL7Yx1G3KcwZ1mJzOrOPsOJVRhemi-S7jXu1cqRMwSEhvN18hdkv3e4qExWFB3HShqR-q3pUC-a4OJf06WpA9n08PMNXzZd3mf2wrqxt\
        2M7uhqYWDEDa-52S-pIALIYYjeI4t2ALzLvdS7xjebFJ2dGKBZm8UzQq59OsPTinJzM8TXyYx7Opa835Zm1ON-fZNRNJH_-wBswmDRPZAYe8jbQd\
        2hQJew"},
        {"kty":"EC","kid":"e1","crv":"P-256","x":"JhJ5JfXI9J8Ask9azLKS-arZllzTN0IUmPU8nIL42Ps",
         "y":"A3vlTnM8wjRkNmstOGA4ih84L9a3ifQOLCZp-MY_QUI"},
        {"kty":"RSA","kid":"enc","use":"enc","e":"AQAB","n":"AQAB"},
        {"kty":"oct","kid":"h1","k":"c2VjcmV0"}]}
        """
    static let expected = IDTokenExpectations(issuer: "https://id.example", clientID: "pace", nonce: "n-0S6_WzA2Mj")
    static let now: Int64 = 1_800_000_000

    static func keys() throws -> JSONWebKeySet {
        try #require(JSONWebKeySet(try JSONParser.parse(jwks)))
    }

    static func parsed(_ text: String = token) throws -> IDToken {
        try IDToken.parse(text).get()
    }

    /// A token with `header` and `claims` as given and a junk signature.
    static func unsigned(_ header: String, _ claims: String = #"{"sub":"x"}"#) -> String {
        Base64.url.encode(Array(header.utf8)) + "." + Base64.url.encode(Array(claims.utf8)) + ".c2ln"
    }

    @Test func aGenuineTokenVerifies() throws {
        let token = try Self.parsed()
        #expect(token.keyID == "k1" && token.keyKind == .rsa)
        let key = try #require(try Self.keys().key(id: "k1", kind: .rsa))
        let claims = try token.verify(with: key, Self.expected, now: Self.now).get()
        #expect(claims == IDTokenClaims(subject: "248289761001", preferredUsername: "jane", name: nil))
    }

    @Test func eachClaimIsChecked() throws {
        let token = try Self.parsed()
        let key = try #require(try Self.keys().key(id: "k1", kind: .rsa))
        func failure(_ expected: IDTokenExpectations, now: Int64 = Self.now) -> OIDCError? {
            if case .failure(let error) = token.verify(with: key, expected, now: now) { return error }
            return nil
        }
        #expect(failure(IDTokenExpectations(issuer: "https://id.example/", clientID: "pace", nonce: "n-0S6_WzA2Mj")) == .issuerMismatch)
        #expect(failure(IDTokenExpectations(issuer: "https://id.example", clientID: "other", nonce: "n-0S6_WzA2Mj")) == .audienceMismatch)
        #expect(failure(IDTokenExpectations(issuer: "https://id.example", clientID: "pace", nonce: "n-0S6_WzA2Mk")) == .nonceMismatch)
        #expect(failure(Self.expected, now: 4_102_444_800 + 60) == .expired)
        #expect(failure(Self.expected, now: 4_102_444_800 + 59) == nil, "within the leeway")
        #expect(failure(Self.expected, now: 1_700_000_000 - 61) == .notYetValid)
    }

    @Test func aChangedTokenOrAnotherKeyFailsTheSignature() throws {
        var text = Self.token.filter { !$0.isWhitespace }
        let key = try #require(try Self.keys().key(id: "k1", kind: .rsa))
        // "jane" to "jand" inside the payload's Base64: same length, different bytes.
        text = text.replacing("amFuZSJ9", with: "amFuZCJ9")
        #expect(try Self.parsed(text).verify(with: key, Self.expected, now: Self.now).refusal == .signatureInvalid)
        let ecKey = try #require(try Self.keys().key(id: "e1", kind: .p256))
        #expect(try Self.parsed().verify(with: ecKey, Self.expected, now: Self.now).refusal == .unknownKey)
    }

    @Test func onlyRS256AndES256AreAccepted() {
        for header in [#"{"alg":"none"}"#, #"{"alg":"HS256","kid":"k1"}"#, #"{"alg":"RS512"}"#, #"{"alg":"PS256"}"#,
                       #"{"typ":"JWT"}"#] {
            #expect(IDToken.parse(Self.unsigned(header)).refusal == .algorithmRefused, "\(header)")
        }
        // The usual `alg: none` form, with an empty signature.
        #expect(IDToken.parse(String(Self.unsigned(#"{"alg":"none"}"#).dropLast(4))).refusal == .algorithmRefused)
    }

    @Test func malformedTokensAreRefused() {
        for text in ["", "a.b", "a.b.c.d", "!!.e30.", Self.unsigned(#"{"alg":"RS256","crit":["exp"]}"#),
                     Self.unsigned(#"{"alg":"RS256","kid":7}"#), Self.unsigned(#"{"alg":"RS256"}"#, "[]"),
                     String(repeating: "a", count: IDToken.maximumLength + 1)] {
            #expect(IDToken.parse(text).refusal == .tokenMalformed, "\(text.prefix(40))")
        }
    }

    @Test func theKeySetKeepsUsableSigningKeysOnly() throws {
        let keys = try Self.keys()
        #expect(keys.entries.map(\.keyID) == ["k1", "e1"])
        #expect(keys.key(id: "enc", kind: .rsa) == nil)
        #expect(keys.key(id: "h1", kind: .rsa) == nil)
        #expect(keys.key(id: nil, kind: .rsa) != nil, "one RSA key: a token without kid may use it")
        #expect(keys.key(id: "k1", kind: .p256) == nil)
        #expect(JSONWebKeySet(try JSONParser.parse(#"{"nokeys":[]}"#)) == nil)
    }
}

extension Result {
    var refusal: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
