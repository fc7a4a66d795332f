import Testing
@testable import PaceCrypto

/// JWK numbers to keys and RS256/ES256 checks against fixed vectors made once with the
/// `openssl` command line (`openssl dgst -sha256 -sign`, the ECDSA DER re-encoded as r || s).
@Suite struct VerificationKeyTests {
    static let message = Array("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2ZWN0b3IifQ".utf8)
    static let n = decode("""
        3AsouymcRc1UyB5d9vcM2eY0g09kqhnRqm10gmwHRZALjlmNJF1uGXoNNYrBJy7hI_hW-8FZiIhKTP3_PAjeDBrQoGXg4iGKFzDsMroV7VGJed8d\
        qijNVUGnTL7Yx1G3KcwZ1mJzOrOPsOJVRhemi-S7jXu1cqRMwSEhvN18hdkv3e4qExWFB3HShqR-q3pUC-a4OJf06WpA9n08PMNXzZd3mf2wrqxt\
        2M7uhqYWDEDa-52S-pIALIYYjeI4t2ALzLvdS7xjebFJ2dGKBZm8UzQq59OsPTinJzM8TXyYx7Opa835Zm1ON-fZNRNJH_-wBswmDRPZAYe8jbQd\
        2hQJew
        """)
    static let e = decode("AQAB")
    static let rsaSignature = decode("""
        0FEOGZqhWqMnZSQvWm10fMNi3-4vrP05oK2yj3Hhn0rY5cH0sO8MWIciBEJmP-Rt5pSR4nWqFjTfIuL03j8Kc0hASA1U3BgsyyuEobDG_eoX7YIy\
        c6kP9rPbj1-CFli4bkKRk006w5q7f_rQCH3tOEkutaGaVAnB5qsFFicteM_ZG7otxcuCOTrXjZKRMmzHqSaDgALa4zjaGEs743BB-Ug69-e9VPRt\
        vtcOhZT7RWGzwoTSHZLKg72oWC2xUs2UY2nheuYq3u5sZhFF5savaE-qp9JjvIH23X5cJFwiXCOklmQZgsHVO2A4ZuveGtjPi9huxvdKma9q5jbK\
        es81Og
        """)
    static let x = decode("JhJ5JfXI9J8Ask9azLKS-arZllzTN0IUmPU8nIL42Ps")
    static let y = decode("A3vlTnM8wjRkNmstOGA4ih84L9a3ifQOLCZp-MY_QUI")
    static let ecSignature = decode("NNt_teW86pHNwPOQ4BQEGzFEmEdncmYRlZHlRuwasbPMc7V-QbL2D5TxyCQHQFRT5NaZ5vR7s5TlWQsPSokHOw")

    static func decode(_ text: String) -> [UInt8] {
        Base64.url.decode(text.filter { !$0.isWhitespace })!
    }

    @Test func rs256VectorVerifies() throws {
        let key = try #require(VerificationKey.rsa(modulus: Self.n, exponent: Self.e))
        #expect(key.kind == .rsa)
        #expect(key.isValidSignature(Self.rsaSignature, of: Self.message))
    }

    @Test func es256VectorVerifies() throws {
        let key = try #require(VerificationKey.p256(x: Self.x, y: Self.y))
        #expect(key.kind == .p256)
        #expect(key.isValidSignature(Self.ecSignature, of: Self.message))
    }

    @Test func tamperedMessagesAndSignaturesAreRefused() throws {
        let rsa = try #require(VerificationKey.rsa(modulus: Self.n, exponent: Self.e))
        let ec = try #require(VerificationKey.p256(x: Self.x, y: Self.y))
        var message = Self.message
        message[5] ^= 1
        #expect(!rsa.isValidSignature(Self.rsaSignature, of: message))
        #expect(!ec.isValidSignature(Self.ecSignature, of: message))
        var rsaSignature = Self.rsaSignature
        rsaSignature[100] ^= 1
        #expect(!rsa.isValidSignature(rsaSignature, of: Self.message))
        var ecSignature = Self.ecSignature
        ecSignature[40] ^= 1
        #expect(!ec.isValidSignature(ecSignature, of: Self.message))
        #expect(!ec.isValidSignature(Array(Self.ecSignature.dropLast()), of: Self.message))
        #expect(!ec.isValidSignature([], of: Self.message))
        #expect(!rsa.isValidSignature([], of: Self.message))
        // A signature by one algorithm never passes as the other's.
        #expect(!ec.isValidSignature(Self.rsaSignature, of: Self.message))
        #expect(!rsa.isValidSignature(Self.ecSignature, of: Self.message))
    }

    @Test func anotherKeysSignatureIsRefused() throws {
        var modulus = Self.n
        modulus[modulus.count - 1] ^= 2
        let other = try #require(VerificationKey.rsa(modulus: modulus, exponent: Self.e))
        #expect(!other.isValidSignature(Self.rsaSignature, of: Self.message))
    }

    @Test func weakOrMalformedKeysAreRefused() {
        #expect(VerificationKey.rsa(modulus: Array(Self.n.prefix(128)), exponent: Self.e) == nil)
        #expect(VerificationKey.rsa(modulus: Self.n, exponent: [1]) == nil)
        #expect(VerificationKey.rsa(modulus: Self.n, exponent: [1, 0]) == nil)
        #expect(VerificationKey.rsa(modulus: Self.n, exponent: []) == nil)
        #expect(VerificationKey.p256(x: Array(Self.x.dropLast()), y: Self.y) == nil)
        var y = Self.y
        y[31] ^= 1
        #expect(VerificationKey.p256(x: Self.x, y: y) == nil, "a point off the curve")
    }
}
