#if canImport(Glibc)
import Glibc
#endif
import PaceTestSupport
import Testing

@Suite("Upload limits and interrupted bodies")
struct UploadLimitTests {
    static let limit = 100_000

    private func start() throws -> (TestApp, String) {
        let app = try TestApp(environment: ["PACE_MAX_UPLOAD_BYTES": String(Self.limit)])
        return (app, try app.makeUser("alice").token)
    }

    @Test func aBodyAtTheLimitIsAccepted() throws {
        let (app, token) = try start()
        #expect(try app.upload(patterned(Self.limit), token: token).status == 201)
    }

    @Test func aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsSent() throws {
        let (app, token) = try start()
        let client = app.connect()
        client.send("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Length: \(Self.limit + 1)\r\n\r\n")
        #expect(client.readResponse()?.status == 413)
        #expect(app.temporaryFiles().isEmpty)
    }

    @Test func aChunkedBodyGrowingPastTheLimitIs413AndLeavesNoFile() throws {
        let (app, token) = try start()
        let client = app.connect()
        client.send("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in 0..<4 {
            client.send(Array("8000\r\n".utf8) + patterned(0x8000) + Array("\r\n".utf8))
        }
        #expect(client.readResponse()?.status == 413)
        #expect(eventually { app.temporaryFiles().isEmpty })
        #expect(app.contentFiles().isEmpty)
    }

    @Test func aClientLeavingMidwayLeavesNoPartialFile() throws {
        let (app, token) = try start()
        do {
            let client = app.connect()
            client.send("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: \(Self.limit)\r\n\r\n")
            client.send(patterned(70_000))
            // The first 64 KiB reach the temporary file before the client goes.
            #expect(eventually { app.temporaryFiles().count == 1 })
        }
        #expect(eventually { app.temporaryFiles().isEmpty })
        #expect(app.contentFiles().isEmpty)
        #expect(try app.uploadRows() == 0)
    }
}
