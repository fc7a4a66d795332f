import Testing
@testable import PaceCrypto

@Suite struct PasswordHasherTests {
    static let owaspPrefix = "$argon2id$v=19$m=19456,t=2,p=1$"
    static let password = Array("correct horse battery staple".utf8)

    @Test func hashUsesOwaspDefaultsAndVerifies() throws {
        let hasher = try PasswordHasher()
        let clock = ContinuousClock()
        var encoded = ""
        let elapsed = try clock.measure { encoded = try hasher.hash(Self.password) }
        print("argon2id hash (m=19456 KiB, t=2, p=1) took \(elapsed)")
        #expect(encoded.hasPrefix(Self.owaspPrefix))
        #expect(hasher.verify(Self.password, encoded: encoded))
        #expect(!hasher.verify(Array("correct horse battery stapler".utf8), encoded: encoded))
        #expect(!hasher.verify([], encoded: encoded))
    }

    @Test func saltsAreFresh() throws {
        let hasher = try PasswordHasher()
        let first = try hasher.hash(Self.password)
        let second = try hasher.hash(Self.password)
        #expect(first != second)
        #expect(hasher.verify(Self.password, encoded: second))
    }

    @Test func arbitraryBytesAreHashable() throws {
        let hasher = try PasswordHasher()
        for password in [[], [0, 0xff, 0], Array("pässwörd 🔑".utf8)] as [[UInt8]] {
            let encoded = try hasher.hash(password)
            #expect(hasher.verify(password, encoded: encoded))
            #expect(!hasher.verify(password + [0], encoded: encoded))
        }
    }

    @Test func malformedEncodingsNeverVerify() throws {
        let hasher = try PasswordHasher()
        let valid = try hasher.hash(Self.password)
        let malformed = [
            "", "garbage", "$", "$argon2id$", Self.owaspPrefix,
            String(valid.dropLast(5)), String(valid.prefix(valid.count / 2)),
            valid.replacingPrefix("$argon2id$", with: "$argon2i$"),
            valid.replacingPrefix("$argon2id$", with: "$argon2d$"),
            valid.replacingPrefix("$argon2id$v=19$", with: "$argon2id$v=99$"),
            valid.replacingPrefix(Self.owaspPrefix, with: "$argon2id$v=19$m=19457,t=2,p=1$"),
            valid.replacingPrefix(Self.owaspPrefix, with: "$argon2id$v=19$m=x,t=2,p=1$"),
            valid + "\u{0}",
            valid + "AAAA",
            " " + valid,
        ]
        for encoded in malformed {
            #expect(!hasher.verify(Self.password, encoded: encoded), "\(encoded)")
        }
    }

    @Test func dummyHashCostsTheSameAndNeverMatches() throws {
        let hasher = try PasswordHasher()
        let real = try hasher.hash(Self.password)
        #expect(hasher.dummyHash.hasPrefix(Self.owaspPrefix))
        #expect(hasher.dummyHash.utf8.count == real.utf8.count)
        #expect(!hasher.verify(Self.password, encoded: hasher.dummyHash))
        let clock = ContinuousClock()
        let dummy = clock.measure { hasher.dummyVerify(Self.password) }
        let wrong = clock.measure { _ = hasher.verify([0x78], encoded: real) }
        print("argon2id dummy verify took \(dummy), wrong-password verify took \(wrong)")
    }

    @Test func parametersAreConfigurable() throws {
        let hasher = try PasswordHasher(memoryKiB: 8192, iterations: 1, parallelism: 2,
                                        saltLength: 24, hashLength: 16)
        let encoded = try hasher.hash(Self.password)
        #expect(encoded.hasPrefix("$argon2id$v=19$m=8192,t=1,p=2$"))
        #expect(hasher.verify(Self.password, encoded: encoded))
        #expect(hasher.dummyHash.utf8.count == encoded.utf8.count)
    }

    @Test func rejectedParametersThrowAtInit() {
        #expect(throws: PasswordHashingError.self) { try PasswordHasher(saltLength: 4) }
        #expect(throws: PasswordHashingError.self) { try PasswordHasher(iterations: 0) }
        let error = #expect(throws: PasswordHashingError.self) { try PasswordHasher(memoryKiB: 1) }
        #expect(error?.code == -14)
        #expect(error?.message.contains("small") == true)
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        precondition(hasPrefix(prefix))
        return replacement + dropFirst(prefix.count)
    }
}
