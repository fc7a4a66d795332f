extension IPAddress {
    /// A dotted quad: four decimal parts of 0...255, no leading zeros (which some stacks read
    /// as octal), nothing else. The value is in host byte order.
    package static func parseIPv4(_ text: UnsafeRawBufferPointer) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var index = 0
        while index <= text.count {
            var part: UInt32 = 0
            let start = index
            while index < text.count, let digit = decimal(text[index]), index - start < 3 {
                part = part * 10 + digit
                index += 1
            }
            let digits = index - start
            guard digits > 0, part <= 255, digits == 1 || text[start] != UInt8(ascii: "0") else { return nil }
            value = value << 8 | part
            parts += 1
            if index == text.count { break }
            guard parts < 4, text[index] == UInt8(ascii: ".") else { return nil }
            index += 1
        }
        return parts == 4 ? value : nil
    }

    /// RFC 4291 section 2.2: eight groups of one to four hex digits; one `::` standing for
    /// one or more zero groups; the last 32 bits may be a dotted quad.
    package static func parseIPv6(_ text: UnsafeRawBufferPointer) -> IPAddress? {
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 8) { groups in
            guard let count = scanGroups(text, into: groups) else { return nil }
            return assemble(groups, count: count.groups, gap: count.gap)
        }
    }

    /// Fills `groups` left to right; returns how many and where `::` stood, nil on bad syntax.
    private static func scanGroups(_ text: UnsafeRawBufferPointer,
                                   into groups: UnsafeMutableBufferPointer<UInt16>) -> (groups: Int, gap: Int?)? {
        let colon = UInt8(ascii: ":")
        let end = text.count
        guard end >= 2 else { return nil }
        var count = 0
        var gap: Int?
        var index = 0
        if text[0] == colon {
            guard text[1] == colon else { return nil }
            gap = 0
            index = 2
        }
        while index < end {
            var value: UInt32 = 0
            var digitEnd = index
            while digitEnd < end, digitEnd - index < 5, let digit = hex(text[digitEnd]) {
                value = value << 4 | digit
                digitEnd += 1
            }
            if digitEnd < end && text[digitEnd] == UInt8(ascii: ".") {
                guard count <= 6, let quad = parseIPv4(UnsafeRawBufferPointer(rebasing: text[index..<end])) else {
                    return nil
                }
                groups[count] = UInt16(truncatingIfNeeded: quad >> 16)
                groups[count + 1] = UInt16(truncatingIfNeeded: quad)
                return (count + 2, gap)
            }
            guard (1...4).contains(digitEnd - index), count < 8 else { return nil }
            groups[count] = UInt16(value)
            count += 1
            index = digitEnd
            if index == end { break }
            guard text[index] == colon, index + 1 < end else { return nil }
            index += 1
            if text[index] == colon {
                guard gap == nil else { return nil }
                gap = count
                index += 1
            }
        }
        return (count, gap)
    }

    private static func assemble(_ groups: UnsafeMutableBufferPointer<UInt16>, count: Int, gap: Int?) -> IPAddress? {
        var words = (high: UInt64(0), low: UInt64(0))
        func put(_ value: UInt16, at index: Int) {
            let shift = UInt64(3 - index % 4) * 16
            if index < 4 { words.high |= UInt64(value) << shift } else { words.low |= UInt64(value) << shift }
        }
        if let gap {
            // `::` stands for at least one group.
            guard count < 8 else { return nil }
            let tail = count - gap
            for index in 0..<gap { put(groups[index], at: index) }
            for index in 0..<tail { put(groups[gap + index], at: 8 - tail + index) }
        } else {
            guard count == 8 else { return nil }
            for index in 0..<8 { put(groups[index], at: index) }
        }
        return IPAddress(high: words.high, low: words.low)
    }

    private static func decimal(_ byte: UInt8) -> UInt32? {
        byte >= 0x30 && byte <= 0x39 ? UInt32(byte - 0x30) : nil
    }

    static func hex(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }
}
