/// Mentions in a message body: `@username`, and `@channel` or `@here` for every member.
///
/// An `@` starts a mention at the start of the body or after a character that cannot be part
/// of a username (so `ann@example.com` mentions no one); the name is the longest run of
/// username characters after it, minus trailing dots (sentence ends). Names are lower-cased;
/// those outside 3 to 32 characters are ignored. Unknown names are plain text, not errors: a
/// body may hold an `@` for any reason.
package struct MentionParser: Sendable, Equatable {
    /// At most this many distinct names are looked up per message.
    package static let maximumNames = 50

    package var names: [String] = []
    /// `@channel` or `@here`: every member is mentioned.
    package var everyone = false

    package init(names: [String] = [], everyone: Bool = false) {
        self.names = names
        self.everyone = everyone
    }

    package init(body: String) {
        let bytes = Array(body.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x40, index == 0 || !Self.nameByte(bytes[index - 1]) && bytes[index - 1] != 0x40 else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, Self.nameByte(bytes[end]) { end += 1 }
            var last = end
            while last > index + 1, bytes[last - 1] == 0x2E { last -= 1 }
            let name = String(decoding: bytes[(index + 1)..<last].map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 },
                              as: UTF8.self)
            if name == "channel" || name == "here" {
                everyone = true
            } else if (3...32).contains(name.utf8.count), !names.contains(name), names.count < Self.maximumNames {
                names.append(name)
            }
            index = end
        }
    }

    private static func nameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D: true
        default: false
        }
    }
}
