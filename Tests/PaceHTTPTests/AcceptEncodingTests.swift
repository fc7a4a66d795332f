import PaceHTTP
import Testing

/// Which `Accept-Encoding` values let a static asset go out gzip-compressed.
struct AcceptEncodingTests {
    static let cases: [(String?, Bool)] = [
        (nil, false),
        ("", false),
        ("identity", false),
        ("gzip", true),
        ("GZip", true),
        ("x-gzip", true),
        ("gzip, deflate, br, zstd", true),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", true),
        ("deflate, br", false),
        ("gzip;q=0", false),
        ("gzip; q=0.000", false),
        ("gzip;q=0.001", true),
        ("*", true),
        ("*;q=0", false),
        ("gzip;q=0, *", false),
        ("*;q=0, gzip", true),
        (" , ;q=1, gzip ", true),
        ("identity;q=1, *;q=0", false),
    ]

    @Test(arguments: cases)
    func gzipAllowed(header: String?, allowed: Bool) {
        #expect(AcceptEncoding.allowsGzip(header) == allowed)
    }
}
