/// Channel names and their normalised keys.
///
/// The issue asks for NFKC + case folding. PaceApp has no Foundation (and no Unicode tables), so
/// Pace uses a narrower rule that leaves nothing for NFKC to do: a name is 1 to 80 characters of
/// ASCII letters, digits, space, `-`, `_` and `.`, with no leading or trailing space and no run
/// of spaces; everything else (control and format characters, non-ASCII letters, fullwidth
/// forms, homoglyphs such as Cyrillic `а`) is refused with 422. The key that carries uniqueness
/// is the name with ASCII letters lower-cased, so `General` and `general` are the same channel
/// and two names that merely look alike cannot both exist.
package enum ChannelName {
    package static let maximumLength = 80

    /// The name's problem, or nil when it is acceptable.
    package static func problem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard (1...maximumLength).contains(bytes.count) else {
            return "must be 1 to \(maximumLength) characters"
        }
        guard bytes.allSatisfy(allowed) else {
            return "may hold only ASCII letters, digits, spaces, '-', '_' and '.'"
        }
        guard bytes.first != space, bytes.last != space else { return "must not start or end with a space" }
        for index in bytes.indices.dropFirst() where bytes[index] == space && bytes[index - 1] == space {
            return "must not hold two spaces in a row"
        }
        return nil
    }

    /// The uniqueness key of an acceptable name.
    package static func key(_ name: String) -> String {
        String(decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    private static let space: UInt8 = 0x20

    private static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, space, 0x2D, 0x2E, 0x5F: true
        default: false
        }
    }
}
