import Testing
@testable import PaceRedis

struct RESPCommandTests {
    @Test func encodesArrayOfBulkStrings() {
        var buffer: [UInt8] = []
        RESPCommand.encode(["SET", "k", ""], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n")
    }

    @Test func encodesBinaryAndLongArguments() {
        var buffer: [UInt8] = []
        let long = [UInt8](repeating: 0, count: 1234)
        RESPCommand.encode([Array("PUBLISH".utf8), [13, 10], long], into: &buffer)
        var parser = RESPParser()
        let result = buffer.withUnsafeBytes { parser.parse($0) }
        #expect(result == .value(.array([.bulkString(Array("PUBLISH".utf8)), .bulkString([13, 10]), .bulkString(long)]),
                                 consumed: buffer.count))
    }
}

struct RedisURLTests {
    static let valid: [(String, RedisURL)] = [
        ("redis://127.0.0.1:6380", RedisURL(host: "127.0.0.1", port: 6380)),
        ("redis://redis", RedisURL(host: "redis")),
        ("redis://redis/", RedisURL(host: "redis")),
        ("redis://localhost:6379/3", RedisURL(host: "localhost", port: 6379, database: 3)),
    ]

    @Test(arguments: valid)
    func parses(_ text: String, _ expected: RedisURL) {
        #expect(RedisURL(parsing: text) == expected)
    }

    @Test(arguments: ["http://x", "redis://", "redis://h:0", "redis://h:99999", "redis://h/x", "redis://u:p@h", "redis://h:-1"])
    func rejects(_ text: String) {
        #expect(RedisURL(parsing: text) == nil)
    }
}
