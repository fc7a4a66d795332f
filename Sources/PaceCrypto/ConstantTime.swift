internal import CCrypto

/// Comparisons whose duration does not depend on where secret bytes differ.
package enum ConstantTime {
    /// Lengths are compared first and are not secret (digests and MACs have fixed lengths);
    /// contents are compared only when lengths match, in time independent of the contents.
    package static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let aBase = a.baseAddress, let bBase = b.baseAddress else { return true }
        return CRYPTO_memcmp(aBase, bBase, a.count) == 0
    }

    package static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in equals(a, b) } }
    }
}
