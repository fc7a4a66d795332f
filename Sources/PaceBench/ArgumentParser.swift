/// Turns `pace-bench` arguments into options: `MODE` first, then `--name value` or
/// `--name=value` pairs and the `-q`/`-v` flags, each checked for range.
package enum ArgumentParser {
    package static let usage = """
        usage: pace-bench fanout|idle [options]
          --host IPV4 (127.0.0.1)   --port P (8080)   --path /api/v1/ws
          --tls                     wss: TLS without certificate verification
          --deflate                 offer permessage-deflate and inflate what arrives compressed
          --tokens FILE             one access token a line; client i uses line i (default u<i>)
          --conversation ID (1)     --clients N (100)   --senders S (1)
          --rate R                  messages/s per sender; 0 = closed loop with --window W (1)
          --duration S (10)  --warmup S (2)  --drain S (5)  --payload BYTES (0)
          --text TEXT               after each body's timestamp (letters, digits, spaces, @ _ - .)
          --batch N (100 handshakes in flight)  --connect-timeout S (10)  --connect-limit S (300)
          --heartbeat MS            app ping period; default hello's heartbeat_interval_ms, 0 = off
          --pid PID                 server process: its VmRSS before and after (idle mode)
          -q, --quiet               no progress on stderr   -v, --verbose   per-connection events
        One JSON line of results goes to stdout.
        """

    package static func parse(_ arguments: [String]) throws(UsageError) -> BenchCommand {
        if arguments.contains(where: { $0 == "-h" || $0 == "--help" }) { return .help }
        guard let first = arguments.first else { throw UsageError("a mode is required: fanout or idle") }
        guard let mode = BenchMode(rawValue: first) else { throw UsageError("unknown mode '\(first)'") }
        var options = BenchOptions(mode: mode)
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "-q", "--quiet": options.quiet = true
            case "-v", "--verbose": options.verbose = true
            case "--tls": options.tls = true
            case "--deflate": options.deflate = true
            default:
                guard argument.hasPrefix("--") else { throw UsageError("unexpected argument '\(argument)'") }
                let (name, value) = try split(argument, rest: &rest)
                try apply(name, value, to: &options)
            }
        }
        try validate(options)
        return .run(options)
    }

    /// The option's name and value, from `--name=value` or from the next argument.
    private static func split(_ argument: String, rest: inout ArraySlice<String>) throws(UsageError) -> (String, String) {
        let body = argument.dropFirst(2)
        if let equals = body.firstIndex(of: "=") {
            return (String(body[..<equals]), String(body[body.index(after: equals)...]))
        }
        guard let value = rest.popFirst() else { throw UsageError("--\(body) needs a value") }
        return (String(body), value)
    }

    private static func apply(_ name: String, _ value: String, to options: inout BenchOptions) throws(UsageError) {
        switch name {
        case "host": options.host = value
        case "port": options.port = try integer(name, value, in: 1...65535).narrowed()
        case "path":
            guard value.hasPrefix("/") else { throw UsageError("--path must start with /") }
            options.path = value
        case "tokens": options.tokensFile = value
        case "conversation": options.conversation = value
        case "clients": options.clients = try integer(name, value, in: 1...1_000_000)
        case "senders": options.senders = try integer(name, value, in: 0...1_000_000)
        case "rate": options.rate = try number(name, value, in: 0...1_000_000)
        case "window": options.window = try integer(name, value, in: 1...1_000_000)
        case "duration": options.duration = try number(name, value, in: 0.001...86_400)
        case "warmup": options.warmup = try number(name, value, in: 0...86_400)
        case "drain": options.drain = try number(name, value, in: 0...86_400)
        case "payload": options.payload = try integer(name, value, in: 0...(1 << 20))
        case "text":
            let allowed = value.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || [0x20, 0x40, 0x5F, 0x2D, 0x2E].contains(byte)
            }
            guard allowed, value.utf8.count <= 1024 else {
                throw UsageError("--text takes up to 1024 letters, digits, spaces and @ _ - .")
            }
            options.text = value
        case "batch": options.batch = try integer(name, value, in: 1...100_000)
        case "connect-timeout": options.connectTimeout = try number(name, value, in: 0.001...3600)
        case "connect-limit": options.connectLimit = try number(name, value, in: 0.001...86_400)
        case "heartbeat": options.heartbeatMilliseconds = try integer(name, value, in: 0...86_400_000)
        case "pid": options.pid = Int32(try integer(name, value, in: 1...Int(Int32.max)))
        default: throw UsageError("unknown option --\(name)")
        }
    }

    private static func validate(_ options: BenchOptions) throws(UsageError) {
        if options.mode == .fanout && options.senders > options.clients {
            throw UsageError("--senders (\(options.senders)) cannot exceed --clients (\(options.clients))")
        }
    }

    private static func integer(_ name: String, _ value: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        guard let parsed = Int(value), range.contains(parsed) else {
            throw UsageError("--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not '\(value)'")
        }
        return parsed
    }

    private static func number(_ name: String, _ value: String, in range: ClosedRange<Double>) throws(UsageError) -> Double {
        guard let parsed = Double(value), parsed.isFinite, range.contains(parsed) else {
            throw UsageError("--\(name) must be a number in \(range.lowerBound)...\(range.upperBound), not '\(value)'")
        }
        return parsed
    }
}

private extension Int {
    /// For values already checked to fit.
    func narrowed() -> UInt16 { UInt16(truncatingIfNeeded: self) }
}
