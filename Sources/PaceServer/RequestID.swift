/// Request ids as fixed-width hex.
package enum RequestID {
    /// Appends the 16 lowercase hex digits of `id`.
    package static func appendHex(_ id: UInt64, to out: inout [UInt8]) {
        var shift: UInt64 = 64
        while shift > 0 {
            shift -= 4
            let nibble = UInt8(truncatingIfNeeded: id >> shift) & 0xF
            out.append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
        }
    }
}
