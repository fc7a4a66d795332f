/// Upload filenames are metadata shown to people, never part of a storage path. What a
/// client sends is reduced to a plain base name: no directories, no control or bidirectional
/// formatting characters (which can disguise an extension), bounded length.
package enum UploadFilename {
    package static let fallback = "upload"
    /// Longest kept name, in UTF-8 bytes.
    package static let maxBytes = 200

    package static func sanitize(_ name: String?) -> String {
        guard let name else { return fallback }
        let base = name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last.map(String.init) ?? ""
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in base.unicodeScalars where !isHidden(scalar) {
            let length = String(scalar).utf8.count
            guard bytes + length <= maxBytes else { break }
            kept.append(scalar)
            bytes += length
        }
        let trimmed = Substring(String(kept)).trimmingSpaces
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? fallback : trimmed
    }

    /// Controls (C0, DEL, C1) and the bidirectional overrides and isolates.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}
