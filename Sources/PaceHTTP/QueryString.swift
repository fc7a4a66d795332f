/// Splitting a query string (`a=1&b=two+words`) into decoded name/value pairs, for the
/// router; it allocates and is never on the request-head path.
package enum QueryString {
    /// The pairs in order, or nil when a component does not decode (see
    /// `PercentDecoding.decodeQueryComponent`) or there are more than `maxPairs`. Empty
    /// pairs (`a=1&&b=2`) are skipped; a pair without `=` has an empty value.
    package static func parse(
        _ query: some Collection<UInt8>, maxPairs: Int = 100
    ) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for pair in query.split(separator: ByteClass.ampersand, omittingEmptySubsequences: true) {
            guard pairs.count < maxPairs else { return nil }
            let equals = pair.firstIndex(of: ByteClass.equals) ?? pair.endIndex
            guard let name = PercentDecoding.decodeQueryComponent(pair[pair.startIndex..<equals]) else { return nil }
            let valueStart = equals == pair.endIndex ? equals : pair.index(after: equals)
            guard let value = PercentDecoding.decodeQueryComponent(pair[valueStart...]) else { return nil }
            pairs.append((name: name, value: value))
        }
        return pairs
    }

    /// The decoded value of the first pair called `name`, nil when absent or undecodable.
    package static func value(named name: String, in query: some Collection<UInt8>, maxPairs: Int = 100) -> String? {
        parse(query, maxPairs: maxPairs)?.first { $0.name == name }?.value
    }
}
