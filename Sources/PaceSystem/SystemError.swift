#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, carrying `errno`. Would-block and interruption are not errors at
/// this layer: the calls that can see them return `IOResult` instead.
package struct SystemError: Error, Equatable, CustomStringConvertible {
    package let code: Int32
    package let call: StaticString

    package init(_ call: StaticString, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    package var description: String {
        "\(call): \(String(cString: strerror(code))) (errno \(code))"
    }

    package static func == (lhs: SystemError, rhs: SystemError) -> Bool {
        lhs.code == rhs.code
    }

    /// EINVAL for `call`: a caller's argument the call was never made with.
    package static func invalidArgument(_ call: StaticString) -> SystemError {
        SystemError(call, code: EINVAL)
    }

    /// The path (or a directory on it) does not exist.
    package var isNotFound: Bool { code == ENOENT }

    /// The process or the system ran out of file descriptors.
    package var isDescriptorExhaustion: Bool { code == EMFILE || code == ENFILE }
}

/// The outcome of a non-blocking read, write or accept: EAGAIN is a value, not an error.
package enum IOResult<Value> {
    case done(Value)
    case wouldBlock
    case failed(SystemError)
}
