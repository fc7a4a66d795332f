/// Lookup tables for `Base64`: symbols by value, and values by byte.
enum Base64Tables {
    private static let standardSymbols = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSymbols = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let standardValues = values(of: standardSymbols)
    private static let urlValues = values(of: urlSymbols)

    static func symbols(_ alphabet: Base64.Alphabet) -> [UInt8] {
        alphabet == .standard ? standardSymbols : urlSymbols
    }

    /// 256 entries: the 6-bit value of each symbol, 0xFF for every other byte.
    static func values(_ alphabet: Base64.Alphabet) -> [UInt8] {
        alphabet == .standard ? standardValues : urlValues
    }

    private static func values(of symbols: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in symbols.enumerated() {
            table[Int(symbol)] = UInt8(value)
        }
        return table
    }
}
