/// Why a TLS context could not be built from the operator's files. Reported at start-up (the
/// server does not start) or on reload (the running context stays).
package struct TLSConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    package let description: String

    init(_ what: String, _ failure: TLSFailure) {
        description = "\(what): \(failure)"
    }
}
