/// One element of a `Sec-WebSocket-Extensions` list (RFC 6455 section 9.1): an extension
/// name and its parameters, in order, duplicates kept so the extension can refuse them.
package struct ExtensionOffer: Equatable, Sendable {
    /// Lowercased: extension and parameter names are case-insensitive tokens.
    package var name: String
    package var parameters: [Parameter]

    package struct Parameter: Equatable, Sendable {
        package var name: String
        /// nil when the parameter has no `=`; a quoted-string value is unescaped.
        package var value: String?

        package init(_ name: String, _ value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    package init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// The elements of one header value, in order; nil for an element that breaks the
    /// grammar, so the caller declines just that offer. Empty elements are skipped (RFC 9110
    /// section 5.6.1).
    package static func list(_ value: UnsafeRawBufferPointer) -> [ExtensionOffer?] {
        var scanner = ExtensionListScanner(value)
        var offers: [ExtensionOffer?] = []
        while let offer = scanner.nextElement() { offers.append(offer) }
        return offers
    }
}

/// Walks an extension list element by element; a malformed element is skipped up to the next
/// comma outside a quoted string.
private struct ExtensionListScanner {
    private let bytes: UnsafeRawBufferPointer
    private var index: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    /// The next element: `.some(nil)` when malformed, nil at the end of the list.
    mutating func nextElement() -> ExtensionOffer?? {
        while true {
            skipWhitespace()
            guard index < bytes.endIndex else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index &+= 1
                continue
            }
            let offer = element()
            if offer == nil { skipToNextElement() }
            return .some(offer)
        }
    }

    private mutating func element() -> ExtensionOffer? {
        guard let name = token() else { return nil }
        var offer = ExtensionOffer(name: name)
        while true {
            skipWhitespace()
            guard index < bytes.endIndex, bytes[index] != UInt8(ascii: ",") else { return offer }
            guard bytes[index] == UInt8(ascii: ";") else { return nil }
            index &+= 1
            skipWhitespace()
            guard let parameter = token() else { return nil }
            skipWhitespace()
            var value: String?
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "=") {
                index &+= 1
                skipWhitespace()
                guard let parsed = parameterValue() else { return nil }
                value = parsed
            }
            offer.parameters.append(ExtensionOffer.Parameter(parameter, value))
        }
    }

    /// A token, or a quoted string whose unescaped content is a token (section 9.1).
    private mutating func parameterValue() -> String? {
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { return token() }
        index &+= 1
        var content: [UInt8] = []
        while index < bytes.endIndex {
            let byte = bytes[index]
            index &+= 1
            switch byte {
            case UInt8(ascii: "\""):
                guard !content.isEmpty, content.allSatisfy(Self.isTokenByte) else { return nil }
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.endIndex else { return nil }
                content.append(bytes[index])
                index &+= 1
            default:
                content.append(byte)
            }
        }
        return nil
    }

    /// A non-empty token, lowercased.
    private mutating func token() -> String? {
        let start = index
        while index < bytes.endIndex, Self.isTokenByte(bytes[index]) { index &+= 1 }
        guard index > start else { return nil }
        return String(decoding: bytes[start..<index].map(Self.lowercased), as: UTF8.self)
    }

    private mutating func skipWhitespace() {
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index &+= 1
        }
    }

    private mutating func skipToNextElement() {
        var quoted = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if quoted && byte == UInt8(ascii: "\\") {
                index &+= 2
                continue
            }
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: ","), !quoted { return }
            index &+= 1
        }
        index = bytes.endIndex
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
