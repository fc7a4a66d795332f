/// What the server lets a client negotiate for permessage-deflate (RFC 7692).
package struct PerMessageDeflatePolicy: Equatable, Sendable {
    /// The largest window the server asks a client to compress with when the client lets it
    /// choose (`client_max_window_bits` offered): the window is what a connection's inflater
    /// keeps between messages, so a lower value bounds the memory of idle sockets.
    package var maxClientWindowBits: Int

    package init(maxClientWindowBits: Int = 15) {
        self.maxClientWindowBits = min(15, max(8, maxClientWindowBits))
    }
}

/// The permessage-deflate parameters agreed on one connection (RFC 7692 section 7.1).
///
/// The server always answers `server_no_context_takeover` (allowed by section 7.1.1.1 even
/// when not offered): its compressor starts every message from an empty window, so it holds
/// no per-connection state and one compressed fan-out event serves every receiver with the
/// same `serverMaxWindowBits`.
package struct PerMessageDeflateParameters: Equatable, Sendable {
    /// The server compresses with a window of at most `2^serverMaxWindowBits` bytes (8-15).
    package var serverMaxWindowBits: Int
    /// Whether the client empties its window after every message: then the server needs no
    /// inflater state between messages.
    package var clientNoContextTakeover: Bool
    /// The client compresses with a window of at most `2^clientMaxWindowBits` bytes (8-15).
    package var clientMaxWindowBits: Int
    /// Whether `server_max_window_bits` and `client_max_window_bits` appear in the response;
    /// each may appear only when offered (sections 7.1.2.1 and 7.1.2.2).
    var answersServerWindow: Bool
    var answersClientWindow: Bool

    package init(serverMaxWindowBits: Int = 15, clientNoContextTakeover: Bool = false, clientMaxWindowBits: Int = 15,
                 answersServerWindow: Bool = false, answersClientWindow: Bool = false) {
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientNoContextTakeover = clientNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
        self.answersServerWindow = answersServerWindow
        self.answersClientWindow = answersClientWindow
    }

    /// The `Sec-WebSocket-Extensions` value of the 101 response.
    package var responseValue: String {
        var value = "permessage-deflate; server_no_context_takeover"
        if clientNoContextTakeover { value += "; client_no_context_takeover" }
        if answersServerWindow { value += "; server_max_window_bits=\(serverMaxWindowBits)" }
        if answersClientWindow { value += "; client_max_window_bits=\(clientMaxWindowBits)" }
        return value
    }
}

/// Chooses permessage-deflate parameters from a client's offers, kept pure: header values in,
/// parameters out.
package enum PerMessageDeflateNegotiation {
    package static let extensionName = "permessage-deflate"

    /// The parameters of the first acceptable permessage-deflate offer across all
    /// `Sec-WebSocket-Extensions` values, in order; nil when there is none. An offer with an
    /// unknown, repeated or malformed parameter is declined, never the handshake.
    package static func negotiate(_ values: [UnsafeRawBufferPointer], policy: PerMessageDeflatePolicy) -> PerMessageDeflateParameters? {
        for value in values {
            for offer in ExtensionOffer.list(value) {
                guard let offer, offer.name == extensionName else { continue }
                if let accepted = accept(offer, policy: policy) { return accepted }
            }
        }
        return nil
    }

    /// The answer to one offer, or nil to decline it.
    package static func accept(_ offer: ExtensionOffer, policy: PerMessageDeflatePolicy) -> PerMessageDeflateParameters? {
        var parameters = PerMessageDeflateParameters()
        var seen: Set<String> = []
        for parameter in offer.parameters {
            guard seen.insert(parameter.name).inserted else { return nil }
            switch (parameter.name, parameter.value) {
            case ("server_no_context_takeover", nil):
                break
            case ("client_no_context_takeover", nil):
                parameters.clientNoContextTakeover = true
            case ("server_max_window_bits", let value?):
                guard let bits = windowBits(value) else { return nil }
                parameters.serverMaxWindowBits = bits
                parameters.answersServerWindow = true
            case ("client_max_window_bits", nil):
                parameters.clientMaxWindowBits = policy.maxClientWindowBits
                parameters.answersClientWindow = policy.maxClientWindowBits < 15
            case ("client_max_window_bits", let value?):
                guard let bits = windowBits(value) else { return nil }
                parameters.clientMaxWindowBits = min(bits, policy.maxClientWindowBits)
                parameters.answersClientWindow = true
            default:
                return nil
            }
        }
        return parameters
    }

    /// A window size as section 7.1.2 spells it: 8 to 15 in decimal, no leading zero.
    static func windowBits(_ value: String) -> Int? {
        guard value.utf8.count <= 2, value.utf8.first != UInt8(ascii: "0"),
              value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let bits = Int(value), (8...15).contains(bits) else { return nil }
        return bits
    }
}
