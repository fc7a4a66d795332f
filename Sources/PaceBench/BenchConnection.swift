import PaceTLS
import PaceWebSocket

/// Where a connection is in its life.
package enum ConnectionState: UInt8, Sendable {
    case unused
    case connecting
    /// TCP is up; the TLS handshake is under way (`--tls` only).
    case securing
    case upgrading
    /// Upgraded; waiting for the server's `hello`.
    case awaitingHello
    case open
    case closed

    /// Between the first SYN and `hello`: counted as a connect attempt in flight.
    var isHandshaking: Bool {
        self == .connecting || self == .securing || self == .upgrading || self == .awaitingHello
    }
    var isLive: Bool { isHandshaking || self == .open }
}

/// One client connection. Buffers stay empty unless bytes are actually left over, so
/// tens of thousands of idle connections cost the generator little.
struct BenchConnection {
    var fd: Int32 = -1
    var state = ConnectionState.unused
    /// The TLS session with `--tls`: every byte in and out passes through it, and `output`
    /// then holds ciphertext.
    var tls: TLSEngine?
    var startedAt: UInt64 = 0
    /// The `Sec-WebSocket-Accept` the server owes, while upgrading.
    var expectedAccept = ""
    /// Received bytes not yet forming a whole frame.
    var input: [UInt8] = []
    /// Bytes the socket would not take yet.
    var output: [UInt8] = []
    var wantsWritable = false
    /// The opcode of a fragmented message being received, and its bytes so far.
    var fragmentOpcode: WebSocketOpcode?
    var fragmentCompressed = false
    var fragment: [UInt8] = []

    var isSender = false
    /// Messages sent and not yet acknowledged.
    var outstanding = 0
    var messagesSent: UInt64 = 0
    /// Open loop: when the next message is due (monotonic ns).
    var nextSendAt: UInt64 = 0
    /// Application ping period (ns, 0 = none) and the next one due.
    var heartbeatInterval: UInt64 = 0
    var nextPingAt: UInt64 = 0
    /// The highest `seq` of a `message.new` seen, to catch reordering and duplicates.
    var lastSequence: UInt64 = 0
}

/// What happened to connections and frames, whatever the workload.
package struct ConnectionCounters: Sendable {
    package var connected = 0
    package var failedConnects = 0
    package var rejectedUpgrades = 0
    /// Open connections lost during the run.
    package var disconnects = 0
    package var serverCloses = 0
    package var serverErrorFrames = 0
    package var protocolErrors = 0
    package var sendErrors = 0
    package var otherFrames = 0
    package var pongs = 0
    package var pingsAnswered = 0
    /// Messages that arrived compressed (permessage-deflate).
    package var compressedMessages = 0
    /// Close codes the server sent, and the HTTP statuses of refused upgrades.
    package var closeCodes: [Int: Int] = [:]
    package var rejectedStatuses: [Int: Int] = [:]
    /// The first reason a connection failed, for the operator.
    package var firstFailure: String?
}
