#if canImport(Glibc)
import Glibc
#endif
import PaceApp
import PaceServer
import PaceStore
import PaceSystem

/// `pace [serve] [options]` and the operator subcommands.
enum CommandLineInterface {
    static let usage = """
    Usage: pace [serve] [--host HOST] [--port PORT] [--data-dir DIR] [--loops N]
           pace ws-echo [--host HOST] [--port PORT]
           pace migrate [--data-dir DIR]
           pace users promote NAME [--data-dir DIR]
           pace admin create NAME [--data-dir DIR]
           pace backup PATH [--data-dir DIR]
           pace restore PATH [--data-dir DIR]
           pace tls-selfsigned DIR
           pace --help

    Runs the Pace chat server.

    Commands:
      serve                 run the server (the default)
      ws-echo               a WebSocket echo server on the same protocol code, with a
                            16 MiB message limit (for conformance suites such as Autobahn)
      migrate               apply the schema migrations the database lacks (the server
                            also does this at start)
      users promote NAME    make user NAME a global admin
      admin create NAME     create the admin account NAME, its password taken from
                            PACE_ADMIN_PASSWORD (the first user to register on an
                            empty server is admin too, unless PACE_FIRST_USER_ADMIN=off)
      backup PATH           copy the database (one consistent snapshot) and the upload
                            files into the new directory PATH; the server may keep running
      restore PATH          restore a backup into a data directory that has no database
                            (backup and restore are for SQLite; use pg_dump for PostgreSQL)
      tls-selfsigned DIR    write DIR/key.pem (ECDSA P-256, mode 0600) and a self-signed
                            DIR/cert.pem for localhost, 127.0.0.1 and ::1, valid 90 days

    Options (each also read from the environment variable shown):
      --host HOST      address to listen on               PACE_HOST      (0.0.0.0)
      --port PORT      TCP port                           PACE_PORT      (8080)
      --data-dir DIR   database and uploads, created      PACE_DATA_DIR  (./data)
      PACE_DATABASE_URL  postgres://… or postgresql://…: PostgreSQL instead of
                       SQLite in the data directory (which keeps uploads and keys)
      PACE_PG_STATEMENT_TIMEOUT_MS  PostgreSQL statement timeout          (5000)
      PACE_PG_POOL     PostgreSQL reader connections                      (4)
      PACE_REDIS_URL   redis://host:port[/db]: join a cluster of instances (needs
                       PACE_DATABASE_URL and PACE_JWT_SECRET; README, "Run a cluster")
      --loops N        event loops, 0 = one per CPU       PACE_LOOPS     (0)
      PACE_PIN_LOOPS   on: each loop thread stays on its own CPU         (on)
      PACE_LOG_LEVEL   debug, info, warn or error                        (info)

    Login and registration limits, COUNT/SECONDS per client address or username:
      PACE_RATE_LOGIN_PER_IP (30/60)       PACE_RATE_LOGIN_PER_USER (10/60)
      PACE_RATE_REGISTER_PER_IP (20/60)    PACE_RATE_REGISTER_PER_USER (5/60)
      PACE_RATE_LIMITS=off disables them all (load tests).
      PACE_JWT_SECRET  access-token signing key (default: generated in the data dir)

    Behind proxies (README, "Client addresses behind a proxy"):
      PACE_TRUSTED_PROXIES  addresses and CIDR prefixes whose forwarding headers count (none)
      PACE_PROXY_PROTOCOL   on: each connection starts with a PROXY v1/v2 header      (off)
    HTTPS (both files, PEM; SIGHUP re-reads them):
      PACE_TLS_CERT, PACE_TLS_KEY   certificate (chain) and private key
      PACE_TLS_REDIRECT_PORT        plain HTTP port answering 308 to https   (none)
      PACE_HSTS                     Strict-Transport-Security max-age or off (31536000)
      PACE_TLS_MAX_HANDSHAKES       handshakes in progress per loop          (512)

    """

    static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        var arguments = arguments
        if arguments.first == "--help" || arguments.first == "-h" || arguments.first == "help" {
            Output.line(usage)
            return 0
        }
        if let level = environment["PACE_LOG_LEVEL"].flatMap(LogLevel.init(name:)) { Log.level = level }
        var echo = false
        switch arguments.first {
        case "migrate": return StoreCommands.migrate(Array(arguments.dropFirst()), environment: environment)
        case "users": return StoreCommands.promote(Array(arguments.dropFirst()), environment: environment)
        case "admin": return StoreCommands.createAdmin(Array(arguments.dropFirst()), environment: environment)
        case "backup": return StoreCommands.backup(Array(arguments.dropFirst()), environment: environment)
        case "restore": return StoreCommands.restore(Array(arguments.dropFirst()), environment: environment)
        case "tls-selfsigned": return TLSCommands.selfSigned(Array(arguments.dropFirst()))
        case "serve": arguments.removeFirst()
        case "ws-echo": arguments.removeFirst()
            echo = true
        default: break
        }
        do {
            var configuration = ServerConfiguration()
            try configuration.apply(environment: environment)
            try apply(arguments, to: &configuration)
            return echo ? serveEcho(configuration) : serve(configuration)
        } catch {
            Output.error("pace: \(error)\n\n\(usage)")
            return 2
        }
    }

    private static func apply(_ arguments: [String], to configuration: inout ServerConfiguration) throws(ConfigurationError) {
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            guard index + 1 < arguments.count else { throw ConfigurationError("\(flag) needs a value") }
            let value = arguments[index + 1]
            switch flag {
            case "--host": configuration.host = value
            case "--port": configuration.port = try ServerConfiguration.parsePort(value, "--port")
            case "--data-dir": configuration.dataDirectory = value
            case "--loops": configuration.loops = try ServerConfiguration.parseCount(value, "--loops")
            default: throw ConfigurationError("unknown option \(flag)")
            }
            index += 2
        }
    }

    private static func serveEcho(_ configuration: ServerConfiguration) -> Int32 {
        Signals.ignoreBrokenPipe()
        Signals.blockTermination()
        let server: HTTPServer
        do {
            server = try HTTPServer(host: configuration.host, port: configuration.port,
                                    loops: configuration.loops > 0 ? configuration.loops : 1,
                                    pinLoops: configuration.pinLoops,
                                    configuration: HTTPServerConfiguration(), handler: EchoServer())
        } catch {
            Log.error("startup failed", ["error": "\(error)"])
            return 1
        }
        Output.line("pace ws-echo listening on ws://\(configuration.host):\(server.port)")
        _ = Signals.waitForTermination()
        server.shutdown()
        return 0
    }

    private static func serve(_ configuration: ServerConfiguration) -> Int32 {
        Signals.ignoreBrokenPipe()
        Signals.blockTermination()
        let server: ChatServer
        do {
            server = try ChatServer(configuration: configuration)
        } catch StoreError.busy(let message) {
            // PostgreSQL down or unreachable at start: say so plainly, and exit non-zero.
            Output.error("pace: cannot open the database: \(message)")
            return 1
        } catch {
            Log.error("startup failed", ["error": "\(error)"])
            return 1
        }
        let scheme = server.tlsIdentity == nil ? "http" : "https"
        Output.line("pace listening on \(scheme)://\(configuration.host):\(server.http.port)")
        if let redirect = server.redirect {
            Output.line("pace redirecting http://\(configuration.host):\(redirect.port) to https")
        }
        let signal = Signals.waitForTermination {
            server.reloadCertificate()
            server.reloadBlockedWords()
        }
        Log.info("shutting down", ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT"])
        server.shutdown()
        Log.info("stopped")
        return 0
    }
}
