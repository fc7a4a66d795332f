/// Encodes commands the way every Redis client sends them: an array of bulk strings.
package enum RESPCommand {
    /// Appends `*<n>\r\n` then `$<len>\r\n<arg>\r\n` per argument to `buffer`.
    package static func encode(_ arguments: [[UInt8]], into buffer: inout [UInt8]) {
        buffer.append(42)
        appendDecimal(arguments.count, to: &buffer)
        for argument in arguments {
            buffer.append(36)
            appendDecimal(argument.count, to: &buffer)
            buffer.append(contentsOf: argument)
            buffer.append(13)
            buffer.append(10)
        }
    }

    /// The same for text arguments.
    package static func encode(_ arguments: [String], into buffer: inout [UInt8]) {
        encode(arguments.map { Array($0.utf8) }, into: &buffer)
    }

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(48 + rest % 10))
            rest /= 10
        } while rest > 0
        buffer.append(contentsOf: digits.reversed())
        buffer.append(13)
        buffer.append(10)
    }
}
