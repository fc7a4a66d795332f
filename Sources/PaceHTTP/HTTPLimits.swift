/// Size bounds the parsers enforce before a hostile peer can make them scan or hold more.
package struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded (and any empty lines before it included); over it: 414.
    package var maxRequestLine: Int
    /// Longest header section, from after the request line through the final CRLF; over it: 431.
    package var maxHeaderBytes: Int
    /// Most header field lines; over it: 431.
    package var maxHeaderCount: Int
    /// Longest chunk size line, chunk extensions included; over it: 400.
    package var maxChunkLine: Int
    /// Longest trailer section, final CRLF included; over it: 431.
    package var maxTrailerBytes: Int
    /// Most trailer field lines; over it: 431.
    package var maxTrailerCount: Int

    package init(
        maxRequestLine: Int = 8192,
        maxHeaderBytes: Int = 32768,
        maxHeaderCount: Int = 100,
        maxChunkLine: Int = 1024,
        maxTrailerBytes: Int = 8192,
        maxTrailerCount: Int = 32
    ) {
        self.maxRequestLine = maxRequestLine
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxChunkLine = maxChunkLine
        self.maxTrailerBytes = maxTrailerBytes
        self.maxTrailerCount = maxTrailerCount
    }
}
