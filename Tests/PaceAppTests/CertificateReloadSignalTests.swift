#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceTestSupport
import Testing

@Suite("SIGHUP certificate reload")
struct CertificateReloadSignalTests {
    /// The real binary: SIGHUP swaps the certificate for new connections while an open one goes
    /// on; a failed reload is logged and the process keeps serving.
    @Test func sighupReloadsTheCertificate() throws {
        let binary = try ServerProcess.requiredBinary()
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let certificate = directory + "/cert.pem", key = directory + "/key.pem", logPath = directory + "/server.log"
        try TestCertificates.copy(TestCertificates.certificatePath, to: certificate)
        try TestCertificates.copy(TestCertificates.keyPath, to: key)
        let server = try ServerProcess(binary: binary, dataDirectory: directory + "/data",
                                       environment: try TestDatabase.serverEnvironment(["PACE_TLS_CERT": certificate, "PACE_TLS_KEY": key]),
                                       logPath: logPath)
        defer { server.kill() }
        let old = try TLSTestClient(port: server.port, trusting: TestCertificates.certificatePath)

        try TestCertificates.copy(TestCertificates.otherCertificatePath, to: certificate)
        try TestCertificates.copy(TestCertificates.otherKeyPath, to: key)
        _ = kill(server.pid, SIGHUP)
        #expect(waitForLog(logPath, containing: "TLS certificate reloaded"))
        let fresh = try TLSTestClient(port: server.port, trusting: TestCertificates.otherCertificatePath)
        fresh.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(fresh.readResponse()?.status == 200)
        old.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(old.readResponse()?.status == 200, "the connection opened before the reload")

        try TestCertificates.write(Array("garbage".utf8), to: key)
        _ = kill(server.pid, SIGHUP)
        #expect(waitForLog(logPath, containing: "reload failed"))
        let after = try TLSTestClient(port: server.port, trusting: TestCertificates.otherCertificatePath)
        after.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(after.readResponse()?.status == 200)
    }

    private func waitForLog(_ path: String, containing text: String) -> Bool {
        let deadline = Clock.monotonicMilliseconds() + 3_000
        while Clock.monotonicMilliseconds() < deadline {
            if FileContents.text(path)?.contains(text) == true { return true }
            usleep(10_000)
        }
        return false
    }
}
