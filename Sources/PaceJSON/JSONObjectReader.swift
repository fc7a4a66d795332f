/// Reads typed fields from a request object, collecting every problem instead of stopping at
/// the first, so a client learns about all its invalid fields in one answer.
///
/// Unknown keys are ignored. A field that is `null` counts as absent: optional fields accept it
/// and required ones report it as missing. Callers add their own checks with `addProblem`.
package struct JSONObjectReader: Sendable {
    package static let isRequired = "is required"
    package static let mustBeString = "must be a string"
    package static let mustBeInteger = "must be an integer"
    package static let mustBeBoolean = "must be a boolean"
    package static let mustBeStringArray = "must be an array of strings"

    package let object: JSONValue
    package private(set) var problems: [FieldProblem] = []

    /// Fails unless `value` is an object.
    package init?(_ value: JSONValue) {
        guard case .object = value else { return nil }
        object = value
    }

    /// The raw member, for fields that need more than the typed readers offer.
    package subscript(key: String) -> JSONValue? {
        object[key]
    }

    package mutating func addProblem(_ field: String, _ problem: String) {
        problems.append(FieldProblem(field: field, problem: problem))
    }

    package mutating func string(_ key: String, required: Bool = false) -> String? {
        read(key, required: required, problem: Self.mustBeString) { $0.stringValue }
    }

    /// An integral number within `Int64`; `2.0` and `1e3` qualify, `2.5` does not.
    package mutating func int(_ key: String, required: Bool = false) -> Int64? {
        read(key, required: required, problem: Self.mustBeInteger) { $0.int64Value }
    }

    package mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        read(key, required: required, problem: Self.mustBeBoolean) { $0.boolValue }
    }

    package mutating func stringArray(_ key: String, required: Bool = false) -> [String]? {
        read(key, required: required, problem: Self.mustBeStringArray) { value in
            guard let elements = value.arrayValue else { return nil }
            var strings: [String] = []
            strings.reserveCapacity(elements.count)
            for element in elements {
                guard let text = element.stringValue else { return nil }
                strings.append(text)
            }
            return strings
        }
    }

    private mutating func read<T>(
        _ key: String, required: Bool, problem: String, convert: (JSONValue) -> T?
    ) -> T? {
        guard let value = object[key], !value.isNull else {
            if required { addProblem(key, Self.isRequired) }
            return nil
        }
        guard let converted = convert(value) else {
            addProblem(key, problem)
            return nil
        }
        return converted
    }
}
