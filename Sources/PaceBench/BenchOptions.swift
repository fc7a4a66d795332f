/// What `pace-bench` measures.
package enum BenchMode: String, Equatable, Sendable {
    /// N clients in one conversation, S of them sending: deliveries, loss and latency.
    case fanout
    /// N connections held open: the server's memory per connection.
    case idle
}

/// Every setting of a run, with the defaults an operator gets without options.
package struct BenchOptions: Equatable, Sendable {
    package var mode: BenchMode
    package var host = "127.0.0.1"
    package var port: UInt16 = 8080
    package var path = "/api/v1/ws"
    /// Speaks TLS (wss) without verifying the server's certificate: the tool measures, it
    /// does not trust.
    package var tls = false
    /// Offers permessage-deflate and inflates compressed messages.
    package var deflate = false
    /// One access token a line; connection i uses line i (wrapping when there are fewer).
    /// Without a file, connection i presents `u<i>`, which suits test peers with no auth.
    package var tokensFile: String?
    package var conversation = "1"
    package var clients = 100
    package var senders = 1
    /// Messages per second per sender; 0 runs closed loop with `window` outstanding.
    package var rate = 0.0
    package var window = 1
    package var duration = 10.0
    package var warmup = 2.0
    package var drain = 5.0
    /// Filler bytes after the timestamp in each body.
    package var payload = 0
    /// Text after the timestamp, before the filler (`--text "@ann @channel"`: messages with
    /// mentions); letters, digits, spaces and `@ _ - .` only, so it needs no JSON escaping.
    package var text = ""
    /// Handshakes in flight at once while connecting.
    package var batch = 100
    package var connectTimeout = 10.0
    /// The whole connect phase ends after this many seconds.
    package var connectLimit = 300.0
    /// Application ping period in milliseconds; nil follows hello's `heartbeat_interval_ms`,
    /// 0 sends none.
    package var heartbeatMilliseconds: Int?
    /// The server's process id, for its resident memory.
    package var pid: Int32?
    package var quiet = false
    package var verbose = false

    package init(mode: BenchMode) { self.mode = mode }
}

/// A command line that cannot run; the message says which option and why.
package struct UsageError: Error, Equatable, Sendable {
    package let message: String
    package init(_ message: String) { self.message = message }
}

/// What the command line asks for.
package enum BenchCommand: Equatable, Sendable {
    case run(BenchOptions)
    case help
}
