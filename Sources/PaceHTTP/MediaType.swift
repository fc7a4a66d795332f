/// A `Content-Type` value checked against RFC 9110's grammar (`type/subtype; name=value`).
package struct MediaType: Sendable, Equatable {
    /// Longest accepted value, so stored metadata stays small.
    static let maxLength = 255
    package static let octetStream = MediaType(type: "application", subtype: "octet-stream", parameters: [])

    /// Lowercased.
    package let type: String
    /// Lowercased.
    package let subtype: String
    package let parameters: [HeaderParameters.Parameter]

    private init(type: String, subtype: String, parameters: [HeaderParameters.Parameter]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// Nil unless `text` is a syntactically valid media type with no control characters.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maxLength else { return nil }
        var index = 0
        HeaderParameters.skipWhitespace(bytes, &index)
        let type = HeaderParameters.token(bytes, &index)
        guard !type.isEmpty, index < bytes.count, bytes[index] == ByteClass.slash else { return nil }
        index += 1
        let subtype = HeaderParameters.token(bytes, &index)
        guard !subtype.isEmpty, let parameters = HeaderParameters.parse(bytes, from: index) else { return nil }
        self.type = String(decoding: type, as: UTF8.self).lowercased()
        self.subtype = String(decoding: subtype, as: UTF8.self).lowercased()
        self.parameters = parameters
    }

    /// `type/subtype`, without parameters.
    package var essence: String { type + "/" + subtype }

    /// The canonical text stored and served: lowercased essence, parameters re-quoted as needed.
    package var text: String {
        parameters.reduce(essence) { $0 + "; " + $1.name + "=" + HeaderParameters.quoteIfNeeded($1.value) }
    }

    package func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    package var isMultipartFormData: Bool { type == "multipart" && subtype == "form-data" }

    /// The multipart boundary when it is 1 to 70 of RFC 2046's `bchars`, not ending in a space.
    /// Such a boundary holds no CR, which the multipart parser relies on.
    package var boundary: [UInt8]? {
        guard let boundary = parameter("boundary").map({ Array($0.utf8) }),
              (1...70).contains(boundary.count), boundary.last != ByteClass.space,
              boundary.allSatisfy(ByteClass.isBoundary) else { return nil }
        return boundary
    }
}
