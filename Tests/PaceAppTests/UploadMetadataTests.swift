@testable import PaceApp
import Testing

@Suite("Upload metadata: media types, filenames, dispositions")
struct UploadMetadataTests {
    @Test(arguments: [
        ("image/PNG", "image/png"),
        ("text/plain; charset=UTF-8", "text/plain; charset=UTF-8"),
        (" application/json ;charset=\"utf-8\"", "application/json; charset=utf-8"),
        ("multipart/form-data; boundary=\"a b\"", "multipart/form-data; boundary=\"a b\""),
        ("image/png;", "image/png"),
    ])
    func validMediaTypesAreNormalized(_ input: String, _ expected: String) {
        #expect(MediaType(input)?.text == expected)
    }

    @Test(arguments: ["", "image", "image/", "/png", "image/png; charset", "text/plain; a=\"x",
                      "text/pl ain", "te\u{7}xt/plain", "image/png; a=b\u{0}", String(repeating: "a", count: 300) + "/b"])
    func invalidMediaTypesAreRefused(_ input: String) {
        #expect(MediaType(input) == nil)
    }

    @Test func boundariesFollowRFC2046() {
        #expect(MediaType("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk")?.boundary
            == Array("----WebKitFormBoundary7MA4YWxk".utf8))
        #expect(MediaType("multipart/form-data")?.boundary == nil)
        #expect(MediaType("multipart/form-data; boundary=\"ends with space \"")?.boundary == nil)
        #expect(MediaType("multipart/form-data; boundary=" + String(repeating: "a", count: 71))?.boundary == nil)
        #expect(MediaType("multipart/form-data; boundary=\"a\\\"b\"")?.boundary == nil)
    }

    @Test(arguments: [
        (nil, "upload"),
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("/absolute/", "upload"),
        ("..", "upload"),
        ("a\u{0}b\u{1F}c\u{7F}d\u{85}.txt", "abcd.txt"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("line\r\nbreak.txt", "linebreak.txt"),
        ("  spaced  ", "spaced"),
        ("\u{0}\u{1}", "upload"),
    ] as [(String?, String)])
    func filenamesAreSanitized(_ input: String?, _ expected: String) {
        #expect(UploadFilename.sanitize(input) == expected)
    }

    @Test func longFilenamesAreCutOnACharacterBoundary() {
        let name = UploadFilename.sanitize(String(repeating: "é", count: 150))
        #expect(name.utf8.count == 200)
        #expect(name == String(repeating: "é", count: 100))
    }

    @Test func dispositionsAreRFC5987Encoded() {
        #expect(ContentDisposition.value(attachment: true, filename: "naïve \"résumé\".html")
            == "attachment; filename=\"na_ve _r_sum__.html\"; filename*=UTF-8''na%C3%AFve%20%22r%C3%A9sum%C3%A9%22.html")
        #expect(ContentDisposition.value(attachment: false, filename: "a.png") == "inline; filename=\"a.png\"; filename*=UTF-8''a.png")
    }

    @Test(arguments: ["image/png", "image/jpeg", "text/plain; charset=utf-8", "video/mp4", "application/json"])
    func passiveTypesAreInline(_ type: String) {
        #expect(InlineContentPolicy.isInline(type))
    }

    @Test(arguments: ["text/html", "text/html; charset=utf-8", "application/xhtml+xml", "image/svg+xml", "text/xml",
                      "application/xml", "application/rss+xml", "text/javascript", "application/javascript",
                      "application/ecmascript", "application/x-unknown", "application/pdf", "application/octet-stream",
                      "not a type"])
    func activeOrUnknownTypesAreNot(_ type: String) {
        #expect(!InlineContentPolicy.isInline(type))
    }
}
