import PaceTestSupport
import PaceCrypto
import PaceJSON
import Testing

@Suite("Upload creation")
struct UploadCreateTests {
    @Test func aRawBodyRoundTripsWithItsHash() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let bytes = patterned(300_000)
        let created = try app.upload(bytes, contentType: "image/png", query: "?filename=cat%20photo.png", token: alice.token)
        #expect(created.status == 201)
        let upload = try JSONParser.parse(created.body)
        let id = try #require(upload["id"]?.stringValue)
        #expect(upload["filename"]?.stringValue == "cat photo.png")
        #expect(upload["content_type"]?.stringValue == "image/png")
        #expect(upload["size"]?.int64Value == 300_000)
        #expect(upload["sha256"]?.stringValue == Hex.encode(Digest.sha256(bytes)))
        #expect(upload["url"]?.stringValue == "/api/v1/uploads/\(id)")
        #expect(upload["created_at"]?.stringValue?.hasSuffix("Z") == true)
        let download = try app.request("GET", "/api/v1/uploads/\(id)", token: alice.token)
        #expect(download.status == 200)
        #expect(download.body == bytes)
        #expect(download.header("content-type") == "image/png")
        #expect(download.header("content-length") == "300000")
        #expect(app.temporaryFiles().isEmpty)
        #expect(app.contentFiles() == [String(Hex.encode(Digest.sha256(bytes)).prefix(2)) + "/" + Hex.encode(Digest.sha256(bytes))])
    }

    @Test func aMultipartFilePartIsStoredAndOtherPartsIgnored() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let data = patterned(200_000, seed: 3)
        let body = multipartBody("----pace7MA4YWxk", [
            FormPart(name: "caption", bytes: Array("not the file".utf8)),
            FormPart(name: "file", filename: "../../secret/../report.csv", contentType: "text/csv", bytes: data),
            FormPart(name: "file", filename: "second.bin", bytes: Array("ignored".utf8)),
        ])
        let created = try app.upload(body, contentType: "multipart/form-data; boundary=----pace7MA4YWxk", token: alice.token)
        #expect(created.status == 201)
        let upload = try JSONParser.parse(created.body)
        #expect(upload["filename"]?.stringValue == "report.csv")
        #expect(upload["content_type"]?.stringValue == "text/csv")
        #expect(upload["size"]?.int64Value == 200_000)
        #expect(upload["sha256"]?.stringValue == Hex.encode(Digest.sha256(data)))
        let id = try #require(upload["id"]?.stringValue)
        #expect(try app.request("GET", "/api/v1/uploads/\(id)", token: alice.token).body == data)
    }

    @Test func theSameBytesTwiceAreStoredOnce() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let bob = try app.makeUser("bob")
        let bytes = patterned(70_000)
        let first = try app.uploadID(bytes, token: alice.token)
        let second = try app.uploadID(bytes, query: "?filename=copy.bin", token: bob.token)
        #expect(first != second)
        #expect(app.contentFiles().count == 1)
        #expect(app.temporaryFiles().isEmpty)
        #expect(try app.request("GET", "/api/v1/uploads/\(second)", token: bob.token).body == bytes)
    }

    @Test func anEmptyBodyIsAnEmptyFile() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let created = try app.upload([], contentType: "text/plain", token: alice.token)
        #expect(created.status == 201)
        let upload = try JSONParser.parse(created.body)
        #expect(upload["size"]?.int64Value == 0)
        #expect(upload["filename"]?.stringValue == "upload")
        #expect(upload["sha256"]?.stringValue == Hex.encode(Digest.sha256([])))
        let id = try #require(upload["id"]?.stringValue)
        let download = try app.request("GET", "/api/v1/uploads/\(id)", token: alice.token)
        #expect(download.status == 200)
        #expect(download.header("content-length") == "0")
    }

    @Test func controlCharactersInFilenamesAreDropped() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let created = try app.upload([1, 2, 3], query: "?filename=%2Fetc%2Fa%0D%0Ab%01c%7F%E2%80%AE.txt", token: alice.token)
        #expect(try JSONParser.parse(created.body)["filename"]?.stringValue == "abc.txt")
    }

    @Test func malformedMultipartIs400AndLeavesNoFile() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let truncated = Array("--XX\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n".utf8) + patterned(100_000)
        let response = try app.upload(truncated, contentType: "multipart/form-data; boundary=XX", token: alice.token)
        #expect(response.status == 400)
        #expect(try JSONParser.parse(response.body)["error"]?["code"]?.stringValue == "malformed_multipart")
        #expect(try app.upload(Array("--XX\r\nbad\r\n\r\n--XX--".utf8), contentType: "multipart/form-data; boundary=XX",
                               token: alice.token).status == 400)
        #expect(try app.upload([1], contentType: "multipart/form-data", token: alice.token).status == 400)
        #expect(eventually { app.temporaryFiles().isEmpty })
        #expect(app.contentFiles().isEmpty)
    }

    @Test func aFormWithoutAFilePartIs422() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let body = multipartBody("XX", [FormPart(name: "other", bytes: [1, 2])])
        let response = try app.upload(body, contentType: "multipart/form-data; boundary=XX", token: alice.token)
        #expect(response.status == 422)
        #expect(try JSONParser.parse(response.body)["error"]?["details"]?.arrayValue?.first?["field"]?.stringValue == "file")
    }

    @Test func anInvalidContentTypeIs422() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let response = try app.upload([1, 2, 3], contentType: "not a type", token: alice.token)
        #expect(response.status == 422)
        #expect(app.contentFiles().isEmpty)
    }

    @Test func withoutAValidTokenItIs401AndNothingIsStored() throws {
        let app = try TestApp()
        #expect(try app.upload(patterned(100_000), token: nil).status == 401)
        #expect(try app.upload([1], token: "not.a.token").status == 401)
        #expect(try app.request("GET", "/api/v1/uploads/1", token: nil).status == 401)
        #expect(eventually { app.temporaryFiles().isEmpty })
        #expect(app.contentFiles().isEmpty)
    }
}
