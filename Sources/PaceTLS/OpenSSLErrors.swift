internal import CSSL

/// The calling thread's OpenSSL error queue. Every libssl call that can fail starts from an empty
/// queue and a failure drains it, so a stale entry never misclassifies a later connection on the
/// same loop thread.
enum OpenSSLErrors {
    static func clear() {
        ERR_clear_error()
    }

    /// The oldest queued error, and empties the queue.
    static func take() -> TLSFailure {
        let code = ERR_peek_error()
        defer { ERR_clear_error() }
        guard code != 0 else { return TLSFailure(reason: 0, text: "no OpenSSL error queued") }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        let description = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return TLSFailure(reason: ERR_GET_REASON(code), text: description)
    }
}
