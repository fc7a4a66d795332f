import PaceTLS
import Testing

@Suite("Self-signed certificates")
struct SelfSignedCertificateTests {
    @Test("PEM key and certificate; each generation is a new key")
    func pem() throws {
        let first = try SelfSignedCertificate.generate()
        let second = try SelfSignedCertificate.generate()
        let key = String(decoding: first.privateKeyPEM, as: UTF8.self)
        let certificate = String(decoding: first.certificatePEM, as: UTF8.self)
        #expect(key.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(certificate.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(first.privateKeyPEM != second.privateKeyPEM)
    }

    @Test("a client trusting the certificate verifies it for localhost and the loopback addresses")
    func verifies() throws {
        for host in ["localhost", "127.0.0.1", "::1"] {
            let pair = EnginePair(client: try TLSFixture.client().makeEngine(host: host),
                                  server: try TLSFixture.identity().makeEngine())
            try pair.handshake()
            #expect(pair.client.engine.isEstablished, "verified for \(host)")
        }
    }
}
