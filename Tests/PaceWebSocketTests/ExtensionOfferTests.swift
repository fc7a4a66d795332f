import Testing
@testable import PaceWebSocket

/// The `Sec-WebSocket-Extensions` grammar (RFC 6455 section 9.1): each element parsed on its
/// own, a malformed one standing as nil so only that offer is declined.
struct ExtensionOfferTests {
    typealias Offer = ExtensionOffer
    typealias P = ExtensionOffer.Parameter

    struct Case: CustomStringConvertible, Sendable {
        var description: String { value }
        var value: String
        var offers: [ExtensionOffer?]
    }

    static let cases: [Case] = [
        Case(value: "", offers: []),
        Case(value: " , ,", offers: []),
        Case(value: "permessage-deflate", offers: [Offer(name: "permessage-deflate")]),
        Case(value: "Permessage-Deflate; Client_Max_Window_Bits", offers: [
            Offer(name: "permessage-deflate", parameters: [P("client_max_window_bits")]),
        ]),
        Case(value: "permessage-deflate;client_max_window_bits=10 ;\tserver_no_context_takeover", offers: [
            Offer(name: "permessage-deflate", parameters: [P("client_max_window_bits", "10"), P("server_no_context_takeover")]),
        ]),
        Case(value: #"permessage-deflate; server_max_window_bits = "12""#, offers: [
            Offer(name: "permessage-deflate", parameters: [P("server_max_window_bits", "12")]),
        ]),
        Case(value: #"x; a="b\c""#, offers: [Offer(name: "x", parameters: [P("a", "bc")])]),
        Case(value: "a, b; c, d", offers: [Offer(name: "a"), Offer(name: "b", parameters: [P("c")]), Offer(name: "d")]),
        // Malformed elements: only they are lost.
        Case(value: "; x, b", offers: [nil, Offer(name: "b")]),
        Case(value: "a;, b", offers: [nil, Offer(name: "b")]),
        Case(value: "a; p=, b", offers: [nil, Offer(name: "b")]),
        Case(value: "a b, c", offers: [nil, Offer(name: "c")]),
        Case(value: #"a; p="x,y", c"#, offers: [nil, Offer(name: "c")]),
        Case(value: #"a; p="", c"#, offers: [nil, Offer(name: "c")]),
        Case(value: #"a; p="open, c"#, offers: [nil]),
        Case(value: "a; p=1=2, c", offers: [nil, Offer(name: "c")]),
        Case(value: "a; p@q, c", offers: [nil, Offer(name: "c")]),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) {
        let offers = Array(testCase.value.utf8).withUnsafeBytes { ExtensionOffer.list($0) }
        #expect(offers == testCase.offers)
    }
}
