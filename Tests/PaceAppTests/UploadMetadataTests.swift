@testable import PaceApp
import Testing

@Suite("Upload metadata: filenames, inline policy")
struct UploadMetadataTests {
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
