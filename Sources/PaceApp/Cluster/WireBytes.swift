/// Appends fixed-width little-endian integers and length-prefixed byte strings: the layout of
/// everything Pace instances tell each other through Redis.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int64) {
        var little = UInt64(bitPattern: value).littleEndian
        withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func blob(_ value: [UInt8]) {
        int(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func text(_ value: String) {
        blob(Array(value.utf8))
    }

    mutating func ints(_ values: [Int64]) {
        int(Int64(values.count))
        for value in values { int(value) }
    }
}

/// Reads what `WireWriter` wrote; every read checks the remaining length first, so a
/// truncated or foreign message yields nil, never a trap or a huge allocation.
struct WireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func int() -> Int64? {
        guard bytes.count - offset >= 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return Int64(bitPattern: value)
    }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func blob() -> [UInt8]? {
        guard let count = int(), count >= 0, count <= bytes.count - offset else { return nil }
        defer { offset += Int(count) }
        return Array(bytes[offset..<(offset + Int(count))])
    }

    mutating func text() -> String? {
        blob().flatMap { String(validating: $0, as: UTF8.self) }
    }

    mutating func ints() -> [Int64]? {
        guard let count = int(), count >= 0, count <= (bytes.count - offset) / 8 else { return nil }
        var values: [Int64] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let value = int() else { return nil }
            values.append(value)
        }
        return values
    }
}
