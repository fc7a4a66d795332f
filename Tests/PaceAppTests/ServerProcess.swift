#if canImport(Glibc)
import Glibc
#endif

/// The real `pace` binary run as a child process on loopback, for tests that must kill it.
final class ServerProcess {
    let pid: pid_t
    let port: UInt16

    /// The `pace` built beside this test bundle (`swift test` builds every product); throws,
    /// failing the test, when there is none.
    static func requiredBinary() throws -> String {
        let bundle = CommandLine.arguments.first ?? ""
        let candidates = [bundle.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                              .joined(separator: "/") + "/pace", ".build/debug/pace"]
        guard let binary = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw Failure("the pace binary was not found beside the tests; build it with swift build")
        }
        return binary
    }

    /// Starts `binary serve` on a free port over `dataDirectory` and waits for its
    /// "listening" line. With `logPath`, its log goes there at level info; else only errors, discarded.
    init(binary: String, dataDirectory: String, environment: [String: String], logPath: String? = nil) throws {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Failure("pipe failed") }
        defer { close(pipeEnds[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        if let logPath { posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
        let arguments = [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--loops", "1", "--data-dir", dataDirectory]
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
            + ["PACE_LOG_LEVEL=\(logPath == nil ? "error" : "info")"]
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environmentLines.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, nil, &argv, &envp)
        close(pipeEnds[1])
        guard status == 0 else { throw Failure("posix_spawn failed: \(status)") }
        pid = child
        guard let port = Self.readPort(pipeEnds[0]) else {
            _ = Glibc.kill(child, SIGKILL)
            waitpid(child, nil, 0)
            throw Failure("the server did not report its port")
        }
        self.port = port
    }

    /// Lowers the child's open-file limit (soft and hard) to `count`, with util-linux's prlimit.
    func limitOpenFiles(to count: Int) throws {
        let status = try Self.run("/usr/bin/prlimit", ["--pid", String(pid), "--nofile=\(count):\(count)"])
        guard status == 0 else { throw Failure("prlimit failed: \(status)") }
    }

    /// CPU time (user plus system) the child has used, in clock ticks.
    func cpuTicks() -> Int {
        let fd = open("/proc/\(pid)/stat", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0, let end = buffer[0..<count].lastIndex(of: UInt8(ascii: ")")) else { return 0 }
        let fields = String(decoding: buffer[(end + 2)..<count], as: UTF8.self).split(separator: " ")
        // After the command name: state is field 0, utime field 11, stime field 12.
        guard fields.count > 12 else { return 0 }
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    /// SIGKILL: no shutdown code runs, as in a crash or power cut of the process.
    func kill() {
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Reads "pace listening on http://127.0.0.1:PORT" from the child's stdout.
    private static func readPort(_ fd: Int32) -> UInt16? {
        var text: [UInt8] = []
        var byte: UInt8 = 0
        while text.count < 200, read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") { text.append(byte) }
        guard let colon = text.lastIndex(of: UInt8(ascii: ":")) else { return nil }
        return UInt16(String(decoding: text[(colon + 1)...], as: UTF8.self))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension ServerProcess {
    /// Runs `binary arguments…` to completion with its output discarded (or its standard output
    /// in `outputPath`, its standard error in `errorPath`); returns its exit status.
    static func run(_ binary: String, _ arguments: [String], environment: [String: String] = [:],
                    outputPath: String? = nil, errorPath: String? = nil) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var argv = ([binary] + arguments).map { strdup($0) } + [nil]
        var envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, binary, &actions, nil, &argv, &envp) == 0 else { throw Failure("posix_spawn failed") }
        var status: Int32 = 0
        waitpid(child, &status, 0)
        return (status >> 8) & 0xFF
    }
}
