import PaceServer

/// The headers every page and asset of the web client carries. The policy allows only the
/// client's own files: no inline script or style, no other origin to connect to or frame the
/// page, images only from the server and from the blob: URLs the client makes of downloads.
enum WebSecurityHeaders {
    static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let all = [
        HTTPHeader("Content-Security-Policy", contentSecurityPolicy),
        HTTPHeader("X-Content-Type-Options", "nosniff"),
        HTTPHeader("Referrer-Policy", "no-referrer"),
        HTTPHeader("X-Frame-Options", "DENY"),
        HTTPHeader("Cross-Origin-Opener-Policy", "same-origin"),
    ]
}
