import Testing
@testable import PaceWebSocket

/// RFC 7692 sections 5 and 7.1: the first acceptable offer wins, a bad one is declined rather
/// than failing the handshake, and the answer always carries server_no_context_takeover.
struct DeflateNegotiationTests {
    struct Case: CustomStringConvertible, Sendable {
        var description: String { headers.joined(separator: " | ") }
        var headers: [String]
        /// The response value, or nil when every offer is declined.
        var response: String?
        var maxClientWindowBits = 15
    }

    static let base = "permessage-deflate; server_no_context_takeover"

    static let cases: [Case] = [
        Case(headers: [], response: nil),
        Case(headers: ["x-webkit-deflate-frame"], response: nil),
        Case(headers: ["permessage-deflate"], response: base),
        Case(headers: ["PERMESSAGE-DEFLATE"], response: base),
        Case(headers: ["permessage-deflate; server_no_context_takeover"], response: base),
        Case(headers: ["permessage-deflate; client_no_context_takeover"], response: base + "; client_no_context_takeover"),
        Case(headers: ["permessage-deflate; server_max_window_bits=10"], response: base + "; server_max_window_bits=10"),
        Case(headers: [#"permessage-deflate; server_max_window_bits="8""#], response: base + "; server_max_window_bits=8"),
        // client_max_window_bits without a value: the client lets the server choose.
        Case(headers: ["permessage-deflate; client_max_window_bits"], response: base),
        Case(headers: ["permessage-deflate; client_max_window_bits"], response: base + "; client_max_window_bits=13",
             maxClientWindowBits: 13),
        Case(headers: ["permessage-deflate; client_max_window_bits=9"], response: base + "; client_max_window_bits=9",
             maxClientWindowBits: 13),
        Case(headers: ["permessage-deflate; client_max_window_bits=15"], response: base + "; client_max_window_bits=13",
             maxClientWindowBits: 13),
        Case(headers: ["permessage-deflate; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits"],
             response: base + "; client_no_context_takeover; server_max_window_bits=9"),
        // Declined offers: unknown, duplicate, valueless, out of range, badly spelled.
        Case(headers: ["permessage-deflate; unknown"], response: nil),
        Case(headers: ["permessage-deflate; server_no_context_takeover; server_no_context_takeover"], response: nil),
        Case(headers: ["permessage-deflate; client_max_window_bits; client_max_window_bits=10"], response: nil),
        Case(headers: ["permessage-deflate; server_no_context_takeover=1"], response: nil),
        Case(headers: ["permessage-deflate; client_no_context_takeover=true"], response: nil),
        Case(headers: ["permessage-deflate; server_max_window_bits"], response: nil),
        Case(headers: ["permessage-deflate; server_max_window_bits=7"], response: nil),
        Case(headers: ["permessage-deflate; server_max_window_bits=16"], response: nil),
        Case(headers: ["permessage-deflate; server_max_window_bits=010"], response: nil),
        Case(headers: ["permessage-deflate; server_max_window_bits=+9"], response: nil),
        Case(headers: ["permessage-deflate; client_max_window_bits=1x"], response: nil),
        Case(headers: ["permessage-deflate; ; x"], response: nil),
        // Several offers, in order and across field lines: the first acceptable one wins.
        Case(headers: ["permessage-deflate; server_max_window_bits=9, permessage-deflate"],
             response: base + "; server_max_window_bits=9"),
        Case(headers: ["permessage-deflate; bogus, permessage-deflate; client_no_context_takeover"],
             response: base + "; client_no_context_takeover"),
        Case(headers: ["permessage-deflate; server_max_window_bits=99", "permessage-deflate; server_max_window_bits=11"],
             response: base + "; server_max_window_bits=11"),
        Case(headers: ["foo; bar, permessage-deflate;;, permessage-deflate"], response: base),
    ]

    @Test(arguments: cases)
    func negotiates(_ testCase: Case) {
        let policy = PerMessageDeflatePolicy(maxClientWindowBits: testCase.maxClientWindowBits)
        let values = testCase.headers.map { Array($0.utf8) }
        let parameters = Self.withPointers(values) { PerMessageDeflateNegotiation.negotiate($0, policy: policy) }
        #expect(parameters?.responseValue == testCase.response)
    }

    @Test func parametersCarryTheWindows() {
        let offer = ExtensionOffer(name: "permessage-deflate", parameters: [
            .init("server_max_window_bits", "9"), .init("client_max_window_bits", "12"), .init("client_no_context_takeover"),
        ])
        let parameters = PerMessageDeflateNegotiation.accept(offer, policy: PerMessageDeflatePolicy(maxClientWindowBits: 10))
        #expect(parameters?.serverMaxWindowBits == 9)
        #expect(parameters?.clientMaxWindowBits == 10)
        #expect(parameters?.clientNoContextTakeover == true)
    }

    @Test func defaultsWhenNothingIsOffered() throws {
        let offer = ExtensionOffer(name: "permessage-deflate")
        let parameters = try #require(PerMessageDeflateNegotiation.accept(offer, policy: PerMessageDeflatePolicy(maxClientWindowBits: 10)))
        // The client did not offer client_max_window_bits, so it may use 15 and the server must read it.
        #expect(parameters.clientMaxWindowBits == 15)
        #expect(parameters.serverMaxWindowBits == 15)
        #expect(!parameters.clientNoContextTakeover)
    }

    @Test func responseHeadNamesTheExtension() {
        let head = String(decoding: WebSocketHandshake.responseHead(accept: "abc", extensions: Self.base), as: UTF8.self)
        #expect(head.hasSuffix("Sec-WebSocket-Accept: abc\r\nSec-WebSocket-Extensions: \(Self.base)\r\n\r\n"))
        let plain = String(decoding: WebSocketHandshake.responseHead(accept: "abc"), as: UTF8.self)
        #expect(!plain.contains("Extensions"))
    }

    private static func withPointers<R>(_ values: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        guard let first = values.first else { return body([]) }
        return first.withUnsafeBytes { pointer in
            withPointers(Array(values.dropFirst())) { rest in body([pointer] + rest) }
        }
    }
}
