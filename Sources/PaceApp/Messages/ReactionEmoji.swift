/// What may be a reaction: one emoji (a single grapheme cluster made only of emoji scalars and
/// their joiners, selectors, keycaps, modifiers and tags; a text-default symbol such as `©`
/// needs its emoji selector U+FE0F) or a short name `:name:` of 2 to 32 of `[a-z0-9_+-]`.
package enum ReactionEmoji {
    package static func isValid(_ text: String) -> Bool {
        isShortName(text) || isSingleEmoji(text)
    }

    static func isShortName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, bytes.count <= 34, bytes.first == UInt8(ascii: ":"), bytes.last == UInt8(ascii: ":") else {
            return false
        }
        return bytes[1..<(bytes.count - 1)].allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }
    }

    static func isSingleEmoji(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard text.count == 1, (1...16).contains(scalars.count) else { return false }
        var presented = false
        for scalar in scalars {
            switch scalar.value {
            case 0x200D, 0x20E3, 0xE0020...0xE007F: continue
            case 0xFE0F: presented = true
            default:
                guard scalar.properties.isEmoji else { return false }
                if scalar.properties.isEmojiPresentation { presented = true }
            }
        }
        return presented
    }
}
