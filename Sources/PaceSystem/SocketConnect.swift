#if canImport(Glibc)
import Glibc
#endif

extension Socket {
    /// Starts a non-blocking TCP connection to `host` (a name or IPv4 literal) and `port`; the
    /// connection completes (or fails) later, seen as write readiness or a socket error. The
    /// name lookup blocks, so call this off the event loops.
    package static func connect(host: String, port: UInt16) throws(SystemError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw SystemError("getaddrinfo", code: EHOSTUNREACH)
        }
        defer { freeaddrinfo(list) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                        | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        var noDelay: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var result: Int32
        repeat {
            result = Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen)
        } while result != 0 && errno == EINTR
        guard result == 0 || errno == EINPROGRESS else {
            let error = SystemError("connect")
            close(fd)
            throw error
        }
        return fd
    }
}
