import Testing
@testable import PaceWebSocket

/// The opening handshake of section 4.2, using the example of section 1.3.
struct HandshakeTests {
    static let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

    static let validFields: [(String, String)] = [
        ("Host", "server.example.com"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", sampleKey),
        ("Sec-WebSocket-Version", "13"),
    ]

    /// Runs `validate` over `fields`, matching names without case as HTTP does.
    static func validate(
        _ fields: [(String, String)], isGet: Bool = true, isHTTP11OrLater: Bool = true
    ) -> Result<[UInt8], WebSocketHandshakeError> {
        let storage = fields.map { (name: $0.0.lowercased(), value: Array($0.1.utf8)) }
        return Result { () throws(WebSocketHandshakeError) -> [UInt8] in
            try WebSocketHandshake.validate(isGet: isGet, isHTTP11OrLater: isHTTP11OrLater) { name in
                let wanted = name.description.lowercased()
                return storage.filter { $0.name == wanted }.map { field in
                    field.value.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
                }
            }
        }
    }

    static func replacing(_ name: String, with value: String?) -> [(String, String)] {
        let others = validFields.filter { $0.0 != name }
        return value.map { others + [(name, $0)] } ?? others
    }

    @Test func theSampleRequestIsAccepted() {
        #expect(Self.validate(Self.validFields) == .success(Array(Self.sampleKey.utf8)))
    }

    @Test(arguments: [
        ("Upgrade", "WebSocket"), ("Upgrade", "h2c, websocket"), ("Connection", "keep-alive, Upgrade"),
        ("Connection", "keep-alive,upgrade"), ("Sec-WebSocket-Version", " 13 "),
        ("Sec-WebSocket-Key", "  \(sampleKey)\t"),
    ])
    func acceptedVariants(name: String, value: String) {
        #expect(Self.validate(Self.replacing(name, with: value)) == .success(Array(Self.sampleKey.utf8)))
    }

    @Test func connectionMayBeSplitOverFieldLines() {
        let fields = Self.replacing("Connection", with: "keep-alive") + [("Connection", "Upgrade")]
        #expect(Self.validate(fields) == .success(Array(Self.sampleKey.utf8)))
    }

    @Test(arguments: [
        ("Upgrade", nil, WebSocketHandshakeError.missingUpgradeWebSocket),
        ("Upgrade", "h2c", .missingUpgradeWebSocket),
        ("Upgrade", "websocketx", .missingUpgradeWebSocket),
        ("Connection", nil, .missingConnectionUpgrade),
        ("Connection", "keep-alive", .missingConnectionUpgrade),
        ("Connection", "upgraded", .missingConnectionUpgrade),
        ("Sec-WebSocket-Version", nil, .unsupportedVersion),
        ("Sec-WebSocket-Version", "8", .unsupportedVersion),
        ("Sec-WebSocket-Version", "13, 8", .unsupportedVersion),
        ("Sec-WebSocket-Key", nil, .invalidKey),
        ("Sec-WebSocket-Key", "", .invalidKey),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=", .invalidKey),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ===", .invalidKey),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQA=", .invalidKey),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZ*==", .invalidKey),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZSBzYW1wbGU=", .invalidKey),
    ] as [(String, String?, WebSocketHandshakeError)])
    func refusedVariants(name: String, value: String?, error: WebSocketHandshakeError) {
        #expect(Self.validate(Self.replacing(name, with: value)) == .failure(error))
    }

    @Test func aRepeatedKeyIsRefused() {
        #expect(Self.validate(Self.validFields + [("Sec-WebSocket-Key", Self.sampleKey)]) == .failure(.invalidKey))
    }

    @Test func onlyGetOverHTTP11Upgrades() {
        #expect(Self.validate(Self.validFields, isGet: false) == .failure(.methodNotGet))
        #expect(Self.validate(Self.validFields, isHTTP11OrLater: false) == .failure(.httpVersionTooOld))
    }

    @Test func onlyAnUnsupportedVersionAnswers426() {
        #expect(WebSocketHandshakeError.unsupportedVersion.status == 426)
        for error in [WebSocketHandshakeError.methodNotGet, .httpVersionTooOld, .missingUpgradeWebSocket, .missingConnectionUpgrade, .invalidKey] {
            #expect(error.status == 400)
        }
    }

    @Test func theAcceptValueHashesTheKeyWithTheGUID() {
        let digest: [UInt8] = [0xB3, 0x7A, 0x4F, 0x2C, 0xC0, 0x62, 0x4F, 0x16, 0x90, 0xF6,
                               0x46, 0x06, 0xCF, 0x38, 0x59, 0x45, 0xB2, 0xBE, 0xC4, 0xEA]
        var hashed: [UInt8] = []
        var encoded: [UInt8] = []
        let accept = WebSocketHandshake.acceptValue(
            key: Array(Self.sampleKey.utf8),
            sha1: { input in hashed = input; return digest },
            base64: { input in encoded = input; return "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" }
        )
        #expect(hashed == Array("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11".utf8))
        #expect(encoded == digest)
        #expect(accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func theResponseHeadIsComplete() {
        let head = WebSocketHandshake.responseHead(accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(head == Array((
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        ).utf8))
    }
}
