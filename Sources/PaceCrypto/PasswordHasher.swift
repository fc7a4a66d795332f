internal import CArgon2

/// Argon2id password hashing into PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
///
/// Defaults are the OWASP minimum for Argon2id. Hashing and verifying take tens of
/// milliseconds each and block the calling thread, so callers run them off the event loop.
package struct PasswordHasher: Sendable {
    package let memoryKiB: UInt32
    package let iterations: UInt32
    package let parallelism: UInt32
    package let saltLength: UInt32
    package let hashLength: UInt32
    /// A hash of a random, forgotten password with these parameters. Verifying against it
    /// costs what a real verification costs and always fails; see `dummyVerify`.
    package let dummyHash: String

    /// Hashes once to build `dummyHash`, so parameters libargon2 rejects fail here, at startup.
    package init(
        memoryKiB: UInt32 = 19_456, iterations: UInt32 = 2, parallelism: UInt32 = 1,
        saltLength: UInt32 = 16, hashLength: UInt32 = 32
    ) throws(PasswordHashingError) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
        dummyHash = try Self.encode(
            SecureRandom.bytes(32), salt: SecureRandom.bytes(Int(saltLength)),
            memoryKiB: memoryKiB, iterations: iterations, parallelism: parallelism,
            hashLength: hashLength)
    }

    /// Hashes `password` with a fresh random salt.
    package func hash(_ password: [UInt8]) throws(PasswordHashingError) -> String {
        try Self.encode(
            password, salt: SecureRandom.bytes(Int(saltLength)), memoryKiB: memoryKiB,
            iterations: iterations, parallelism: parallelism, hashLength: hashLength)
    }

    /// Whether `password` matches `encoded`, using the parameters stored in `encoded`.
    /// Anything that is not a well-formed Argon2id PHC string is simply a mismatch.
    package func verify(_ password: [UInt8], encoded: String) -> Bool {
        // A NUL would end the C string early and let trailing text pass unchecked.
        guard !encoded.utf8.contains(0) else { return false }
        let status = password.withUnsafeBytes { password in
            encoded.withCString { encoded in
                argon2id_verify(encoded, password.baseAddress, password.count)
            }
        }
        return status == ARGON2_OK.rawValue
    }

    /// Spends the work of one failed verification, so that a login for an unknown user takes
    /// as long as one with a wrong password and does not reveal which usernames exist.
    package func dummyVerify(_ password: [UInt8]) {
        _ = verify(password, encoded: dummyHash)
    }

    private static func encode(
        _ password: [UInt8], salt: [UInt8], memoryKiB: UInt32, iterations: UInt32,
        parallelism: UInt32, hashLength: UInt32
    ) throws(PasswordHashingError) -> String {
        let capacity = argon2_encodedlen(
            iterations, memoryKiB, parallelism, UInt32(salt.count), hashLength, Argon2_id)
        var encoded = [CChar](repeating: 0, count: capacity)
        let status = password.withUnsafeBytes { password in
            salt.withUnsafeBytes { salt in
                encoded.withUnsafeMutableBufferPointer { output in
                    argon2id_hash_encoded(
                        iterations, memoryKiB, parallelism, password.baseAddress, password.count,
                        salt.baseAddress, salt.count, Int(hashLength), output.baseAddress,
                        output.count)
                }
            }
        }
        guard status == ARGON2_OK.rawValue else { throw PasswordHashingError(code: status) }
        let text = encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }
}
