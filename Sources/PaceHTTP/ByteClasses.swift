/// The byte values and character classes of HTTP/1.1 syntax (RFC 9110, RFC 9112, RFC 3986).
///
/// Classes are bit masks over the ASCII range rather than lookup tables so a test costs a
/// shift and an AND, with no global to initialise and no memory to load.
enum ByteClass {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let hash: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let asterisk: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let question: UInt8 = 0x3F
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let hyphen: UInt8 = 0x2D
    static let delete: UInt8 = 0x7F

    /// `tchar` of RFC 9110 section 5.6.2: the bytes of methods, field names and list tokens.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        inMask(byte, low: 0x03FF_6CFA_0000_0000, high: 0x57FF_FFFF_C7FF_FFFE)
    }

    /// A byte a field value may hold: HTAB, SP, VCHAR and obs-text; never CR, LF, NUL, DEL.
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= space && byte != 0x7F)
    }

    /// Optional whitespace (OWS/BWS): SP or HTAB.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// A byte a request-target may hold: visible ASCII except `#`, which starts a fragment
    /// that clients must never send.
    @inline(__always)
    static func isTarget(_ byte: UInt8) -> Bool {
        byte > space && byte < 0x7F && byte != hash
    }

    /// A byte of a URI reg-name or IPv4 address: unreserved, sub-delims and `%`.
    @inline(__always)
    static func isRegName(_ byte: UInt8) -> Bool {
        inMask(byte, low: 0x2BFF_7FF2_0000_0000, high: 0x47FF_FFFE_87FF_FFFE)
    }

    /// `bchars` of RFC 2046 section 5.1.1: the bytes a multipart boundary may hold. None is CR,
    /// which the multipart parser relies on.
    @inline(__always)
    static func isBoundary(_ byte: UInt8) -> Bool {
        inMask(byte, low: 0xA7FF_FB81_0000_0000, high: 0x07FF_FFFE_87FF_FFFE)
    }

    /// `attr-char` of RFC 8187 section 3.2.1: the bytes an extended parameter value carries
    /// unescaped (tchar without `*`, `'` and `%`).
    @inline(__always)
    static func isAttributeChar(_ byte: UInt8) -> Bool {
        inMask(byte, low: 0x03FF_685A_0000_0000, high: 0x57FF_FFFF_C7FF_FFFE)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- zero < 10
    }

    /// The value of a hexadecimal digit in either case, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        if byte &- zero < 10 { return byte &- zero }
        let folded = byte | 0x20
        if folded &- 0x61 < 6 { return folded &- 0x61 &+ 10 }
        return nil
    }

    /// ASCII lower case; other bytes unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    private static func inMask(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 64 { return (low >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (high >> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }
}
