/// Why a compressed message could not be inflated.
package enum InflateError: Error, Equatable, Sendable {
    /// The message inflates past the size limit: close with 1009.
    case tooLarge
    /// The payload is not valid raw deflate: close with 1007.
    case corrupt
    /// zlib could not allocate its state: close with 1011.
    case outOfMemory
}
