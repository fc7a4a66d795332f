/// String scanning: strict UTF-8 validation and escape decoding.
///
/// A string without escapes, the common case, becomes a `String` straight from its byte range.
/// Only a string with escapes is decoded into the reusable scratch buffer, copying the plain runs
/// between escapes in bulk.
extension JSONParser {
    /// Reads the string whose opening quote is at `index`, leaving `index` past its closing quote.
    mutating func parseString() throws(JSONError) -> String {
        index += 1
        let start = index
        while true {
            index = PlainRunScanner.runEnd(in: bytes, from: index)
            guard index < end else { break }
            let byte = bytes[index]
            if byte == ASCII.quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == ASCII.backslash {
                return try parseEscapedString(from: start)
            }
            try skipCharacter(byte)
        }
        throw JSONError(.unexpectedEnd, at: index)
    }

    mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while true {
            index = PlainRunScanner.runEnd(in: bytes, from: index)
            guard index < end else { break }
            let byte = bytes[index]
            if byte == ASCII.quote {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == ASCII.backslash {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try decodeEscape()
                runStart = index
            } else {
                try skipCharacter(byte)
            }
        }
        throw JSONError(.unexpectedEnd, at: index)
    }

    /// Steps over one unescaped character, rejecting raw control characters and bad UTF-8.
    mutating func skipCharacter(_ byte: UInt8) throws(JSONError) {
        if byte >= 0x80 {
            try skipUTF8Scalar(lead: byte)
        } else if byte < ASCII.space {
            throw JSONError(.controlCharacter, at: index)
        } else {
            index += 1
        }
    }

    /// Validates one multi-byte sequence per Unicode table 3-7, which excludes overlong forms,
    /// UTF-8-encoded surrogates and anything above U+10FFFF.
    mutating func skipUTF8Scalar(lead: UInt8) throws(JSONError) {
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF4: length = 4; secondHigh = 0x8F
        case 0xF1...0xF3: length = 4
        default: throw JSONError(.invalidUTF8, at: index)
        }
        guard end - index >= length else { throw JSONError(.invalidUTF8, at: index) }
        let second = bytes[index + 1]
        guard second >= secondLow, second <= secondHigh else { throw JSONError(.invalidUTF8, at: index) }
        for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            throw JSONError(.invalidUTF8, at: index)
        }
        index += length
    }

    /// Decodes the escape whose backslash is at `index` into the scratch buffer.
    mutating func decodeEscape() throws(JSONError) {
        let escapeStart = index
        guard end - index >= 2 else { throw JSONError(.unexpectedEnd, at: end) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case ASCII.quote, ASCII.backslash, ASCII.slash: scratch.append(letter)
        case ASCII.lowerB: scratch.append(0x08)
        case ASCII.lowerF: scratch.append(0x0C)
        case ASCII.lowerN: scratch.append(ASCII.newline)
        case ASCII.lowerR: scratch.append(ASCII.carriageReturn)
        case ASCII.lowerT: scratch.append(ASCII.tab)
        case ASCII.lowerU: appendScalar(try decodeUnicodeEscape(at: escapeStart))
        default: throw JSONError(.invalidEscape, at: escapeStart)
        }
    }

    /// Reads the hex digits of a `\u` escape, joining a surrogate pair into one scalar.
    mutating func decodeUnicodeEscape(at escapeStart: Int) throws(JSONError) -> UInt32 {
        let unit = try readHex4()
        switch unit {
        case 0xDC00...0xDFFF:
            throw JSONError(.loneSurrogate, at: escapeStart)
        case 0xD800...0xDBFF:
            guard end - index >= 2, bytes[index] == ASCII.backslash, bytes[index + 1] == ASCII.lowerU else {
                throw JSONError(.loneSurrogate, at: escapeStart)
            }
            index += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONError(.loneSurrogate, at: escapeStart) }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        default:
            return unit
        }
    }

    mutating func readHex4() throws(JSONError) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
            guard let digit = ASCII.hexValue(bytes[index]) else { throw JSONError(.invalidEscape, at: index) }
            unit = unit << 4 | digit
            index += 1
        }
        return unit
    }

    /// Appends a scalar already known to be valid (never a surrogate, at most U+10FFFF) as UTF-8.
    mutating func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }
}
