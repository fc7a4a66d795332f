#if canImport(Glibc)
import Glibc
#endif

/// Name resolution and non-blocking connects for Pace's outbound connections (its HTTP client, Redis).
package enum OutboundSocket {
    /// The addresses `host` resolves to, as 16-byte network-order values (IPv4 mapped into
    /// IPv6). Blocks in `getaddrinfo`: never call it on an event-loop thread.
    package static func resolve(_ host: String) throws(SystemError) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw SystemError("getaddrinfo", code: EHOSTUNREACH) }
        defer { freeaddrinfo(list) }
        var addresses: [[UInt8]] = []
        var entry = list
        while let current = entry {
            if let bytes = networkBytes(current.pointee.ai_addr), !addresses.contains(bytes) { addresses.append(bytes) }
            entry = current.pointee.ai_next
        }
        return addresses
    }

    private static func networkBytes(_ address: UnsafeMutablePointer<sockaddr>?) -> [UInt8]? {
        guard let address else { return nil }
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                let value = UInt32(bigEndian: pointer.pointee.sin_addr.s_addr)
                return [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
                    + [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { [UInt8]($0) }
            }
        default:
            return nil
        }
    }

    /// Starts a non-blocking TCP connect to `address` (16 network-order bytes) and `port`; the
    /// socket becomes writable once connected (or readable with the error). IPv4-mapped
    /// addresses are reached over IPv4, so hosts without IPv6 work too.
    package static func connect(to address: [UInt8], port: UInt16) throws(SystemError) -> Int32 {
        precondition(address.count == 16, "an address is 16 bytes")
        let isMapped = isIPv4Mapped(address)
        let family = isMapped ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                        | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if isMapped {
            var target = sockaddr_in()
            target.sin_family = sa_family_t(AF_INET)
            target.sin_port = port.bigEndian
            target.sin_addr.s_addr = (UInt32(address[12]) << 24 | UInt32(address[13]) << 16
                                      | UInt32(address[14]) << 8 | UInt32(address[15])).bigEndian
            result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            var target = sockaddr_in6()
            target.sin6_family = sa_family_t(AF_INET6)
            target.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &target.sin6_addr) { $0.copyBytes(from: address) }
            result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard result == 0 || errno == EINPROGRESS else {
            let error = SystemError("connect")
            close(fd)
            throw error
        }
        return fd
    }

    /// Resolves `host` and starts a non-blocking connect to its first address, IPv4 first (many
    /// hosts resolve IPv6 they cannot reach). Blocks in `getaddrinfo`: never on an event loop.
    package static func connect(host: String, port: UInt16) throws(SystemError) -> Int32 {
        let addresses = try resolve(host)
        guard let address = addresses.first(where: isIPv4Mapped) ?? addresses.first else {
            throw SystemError("getaddrinfo", code: EHOSTUNREACH)
        }
        return try connect(to: address, port: port)
    }

    /// Whether a 16-byte address is an IPv4 address mapped into IPv6.
    package static func isIPv4Mapped(_ address: [UInt8]) -> Bool {
        address.count == 16 && address[0..<10].allSatisfy { $0 == 0 } && address[10] == 0xFF && address[11] == 0xFF
    }
}
