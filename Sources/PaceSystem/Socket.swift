#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Non-blocking TCP socket calls. Every function retries EINTR itself and reports EAGAIN as
/// `.wouldBlock`, so callers never see either as an error.
package enum Socket {
    /// Opens a non-blocking listening socket. `reusePort` lets one socket per event loop
    /// share the port so the kernel spreads connections across loops.
    package static func listen(host: String, port: UInt16, backlog: Int32,
                               reusePort: Bool) throws(SystemError) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SystemError("inet_pton", code: EINVAL)
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                        | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        do throws(SystemError) {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw SystemError("bind") }
            guard Glibc.listen(fd, backlog) == 0 else { throw SystemError("listen") }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// The port a bound socket ended up on (useful after binding port 0).
    package static func localPort(_ fd: Int32) throws(SystemError) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw SystemError("getsockname") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// An accepted socket and its peer's IPv4 address (0 when not IPv4).
    package struct Accepted {
        package let fd: Int32
        package let peer: UInt32
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket with Nagle disabled.
    package static func accept(_ listener: Int32) -> IOResult<Accepted> {
        while true {
            var peer: UInt32 = 0
            let fd = pace_accept4(listener, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), &peer)
            if fd >= 0 {
                try? setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
                return .done(Accepted(fd: fd, peer: peer))
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            // The peer gave up while queued; nothing to hand out.
            case ECONNABORTED, EPROTO: continue
            default: return .failed(SystemError("accept4"))
            }
        }
    }

    /// Reads into `buffer`. `.done(0)` means the peer closed its side.
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult<Int> {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return .done(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(SystemError("recv"))
            }
        }
    }

    /// Gathers `vectors` into one send; may write fewer bytes than offered. `sendmsg` rather
    /// than `writev`: the same gather without the VFS layer on every call, and `MSG_NOSIGNAL`
    /// makes a reset peer an EPIPE result even where SIGPIPE is not ignored.
    package static func write(_ fd: Int32, _ vectors: UnsafeBufferPointer<iovec>) -> IOResult<Int> {
        while true {
            var message = msghdr()
            message.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
            message.msg_iovlen = vectors.count
            let count = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .done(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(SystemError("sendmsg"))
            }
        }
    }

    /// Stops further sends; the peer reads EOF after whatever was queued.
    package static func shutdownWrite(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32,
                                  _ value: Int32) throws(SystemError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemError("setsockopt")
        }
    }
}
