/// Why a request head or body was rejected, with the status to answer before closing.
///
/// `code` and `message` are static text so reporting an error never allocates; the server
/// puts them in the error body and the log.
package enum HTTPParseError: Error, Equatable, Hashable, Sendable, CaseIterable {
    case invalidMethod
    case methodNotImplemented
    case invalidTarget
    case requestLineTooLong
    case invalidVersion
    case versionNotSupported
    case invalidLineEnding
    case invalidFieldName
    case whitespaceBeforeColon
    case obsoleteLineFolding
    case invalidFieldValue
    case headersTooLarge
    case tooManyHeaders
    case missingHost
    case duplicateHost
    case invalidHost
    case invalidContentLength
    case conflictingContentLength
    case contentLengthWithTransferEncoding
    case invalidTransferEncoding
    case transferEncodingNotImplemented
    case expectationFailed
    case invalidChunkSize
    case invalidChunkExtension
    case chunkLineTooLong
    case invalidChunkTerminator
    case trailersTooLarge
    case bodyTooLarge

    /// The HTTP status code to answer with.
    package var status: Int {
        switch self {
        case .methodNotImplemented, .transferEncodingNotImplemented: 501
        case .requestLineTooLong: 414
        case .versionNotSupported: 505
        case .headersTooLarge, .tooManyHeaders, .trailersTooLarge: 431
        case .expectationFailed: 417
        case .bodyTooLarge: 413
        default: 400
        }
    }

    /// A short snake_case identifier for logs and error bodies.
    package var code: StaticString {
        switch self {
        case .invalidMethod: "invalid_method"
        case .methodNotImplemented: "method_not_implemented"
        case .invalidTarget: "invalid_target"
        case .requestLineTooLong: "uri_too_long"
        case .invalidVersion: "invalid_version"
        case .versionNotSupported: "http_version_not_supported"
        case .invalidLineEnding: "invalid_line_ending"
        case .invalidFieldName: "invalid_header_name"
        case .whitespaceBeforeColon: "whitespace_before_colon"
        case .obsoleteLineFolding: "obsolete_line_folding"
        case .invalidFieldValue: "invalid_header_value"
        case .headersTooLarge: "headers_too_large"
        case .tooManyHeaders: "too_many_headers"
        case .missingHost: "missing_host"
        case .duplicateHost: "duplicate_host"
        case .invalidHost: "invalid_host"
        case .invalidContentLength: "invalid_content_length"
        case .conflictingContentLength: "conflicting_content_length"
        case .contentLengthWithTransferEncoding: "content_length_with_transfer_encoding"
        case .invalidTransferEncoding: "invalid_transfer_encoding"
        case .transferEncodingNotImplemented: "transfer_encoding_not_implemented"
        case .expectationFailed: "expectation_failed"
        case .invalidChunkSize: "invalid_chunk_size"
        case .invalidChunkExtension: "invalid_chunk_extension"
        case .chunkLineTooLong: "chunk_line_too_long"
        case .invalidChunkTerminator: "invalid_chunk_terminator"
        case .trailersTooLarge: "trailers_too_large"
        case .bodyTooLarge: "payload_too_large"
        }
    }

    /// One human sentence saying what was wrong.
    package var message: StaticString {
        switch self {
        case .invalidMethod: "The request method is not a valid token."
        case .methodNotImplemented: "The request method is not supported."
        case .invalidTarget: "The request target is malformed."
        case .requestLineTooLong: "The request line is too long."
        case .invalidVersion: "The request line does not end with a valid HTTP version."
        case .versionNotSupported: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .invalidLineEnding: "Lines must end with CRLF; bare CR or LF is not allowed."
        case .invalidFieldName: "A header field name is malformed."
        case .whitespaceBeforeColon: "Whitespace between a header name and its colon is not allowed."
        case .obsoleteLineFolding: "Folded header lines are not allowed."
        case .invalidFieldValue: "A header field value contains a forbidden byte."
        case .headersTooLarge: "The header section is too large."
        case .tooManyHeaders: "The request has too many header fields."
        case .missingHost: "An HTTP/1.1 request must carry a Host header."
        case .duplicateHost: "The request carries more than one Host header."
        case .invalidHost: "The Host header or target authority is malformed."
        case .invalidContentLength: "The Content-Length header is malformed."
        case .conflictingContentLength: "The request carries conflicting Content-Length values."
        case .contentLengthWithTransferEncoding: "Content-Length and Transfer-Encoding must not both be present."
        case .invalidTransferEncoding: "Transfer-Encoding must end with a single chunked coding."
        case .transferEncodingNotImplemented: "Only the chunked transfer coding is supported."
        case .expectationFailed: "Only the 100-continue expectation is supported."
        case .invalidChunkSize: "A chunk size is malformed or too large."
        case .invalidChunkExtension: "A chunk extension is malformed."
        case .chunkLineTooLong: "A chunk size line is too long."
        case .invalidChunkTerminator: "Chunk data must be followed by CRLF."
        case .trailersTooLarge: "The trailer section is too large."
        case .bodyTooLarge: "The request body is larger than allowed."
        }
    }
}
