#if canImport(Glibc)
import Glibc
#endif

/// Debian's `redis-server` as a child on a loopback port, without persistence, for the
/// cluster tests; nil when it is not installed.
final class RedisServerProcess {
    static let binary = "/usr/bin/redis-server"
    let port: UInt16

    static var available: Bool { access(binary, X_OK) == 0 }
    private(set) var pid: pid_t = 0

    init?(port: UInt16 = UInt16.random(in: 20_000...60_000)) {
        guard access(Self.binary, X_OK) == 0 else { return nil }
        self.port = port
        guard start() else { return nil }
    }

    /// Starts the server (again) and waits until it accepts connections.
    @discardableResult
    func start() -> Bool {
        let arguments = [Self.binary, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--logfile", "/dev/null"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, Self.binary, nil, nil, &argv, environ) == 0 else { return false }
        pid = child
        for _ in 0..<200 {
            if accepts() { return true }
            usleep(10_000)
        }
        return false
    }

    func stop() {
        guard pid > 0 else { return }
        _ = kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
        pid = 0
    }

    private func accepts() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    deinit { stop() }
}
