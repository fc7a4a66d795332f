import PaceServer

/// Settings of the chat WebSocket, from `PACE_*` variables over these defaults.
package struct RealtimeConfiguration: Sendable {
    package var socket = WebSocketConfiguration()
    /// A `typing` start expires by itself after this long.
    package var typingTimeoutMilliseconds: Int64 = 6_000
    /// Repeated starts for one conversation are forwarded at most this often.
    package var typingThrottleMilliseconds: Int64 = 3_000
    /// Queued bytes beyond which typing and presence events are skipped for a socket.
    package var droppableBacklogBytes = 256 * 1024
    /// `delivered` receipts are sent for conversations up to this size; in larger groups a
    /// receipt per recipient per message would cost more than the message itself.
    package var deliveryReceiptLimit = 64
    /// After a conversation's `read` receipt goes out, its further marks are held this long and
    /// sent once per reader, at the highest position reached (`PACE_READ_RECEIPT_WINDOW_MS`): a
    /// burst of marks, or a large group reading one message, costs one frame per reader per
    /// window instead of one per mark, and a lone mark is not delayed.
    package var readReceiptWindowMilliseconds: Int64 = 100
    /// Fan-out items the hub holds while a membership lookup waits on a busy or failing store;
    /// beyond this every socket is closed with 4000 so clients resume with `since`.
    package var hubBacklogLimit = 100_000
    /// Client frames allowed per second, with a burst of twice that; nil for no limit
    /// (`PACE_RATE_LIMITS=off`, for load tests).
    package var framesPerSecond: Int? = 50
    /// Which pages may open a socket (`PACE_ALLOWED_ORIGINS`).
    package var origins = OriginPolicy.sameHost
    /// Call signaling: ring timeout (`PACE_CALL_RING_TIMEOUT_MS`) and frame bounds.
    package var calls = CallLimits()

    package init() {}

    package init(environment: [String: String]) throws(ConfigurationError) {
        if let value = environment["PACE_WS_MAX_MESSAGE_BYTES"] {
            guard let bytes = Int(value), (1024...(64 << 20)).contains(bytes) else {
                throw ConfigurationError("PACE_WS_MAX_MESSAGE_BYTES must be 1024 to 67108864, got '\(value)'")
            }
            socket.maxMessageBytes = bytes
        }
        if let value = environment["PACE_WS_OUTBOUND_LIMIT_BYTES"] {
            guard let bytes = Int(value), bytes >= 64 * 1024 else {
                throw ConfigurationError("PACE_WS_OUTBOUND_LIMIT_BYTES must be at least 65536, got '\(value)'")
            }
            socket.outboundLimit = bytes
        }
        if let value = environment["PACE_TYPING_TIMEOUT_MS"] {
            guard let milliseconds = Int64(value), (100...60_000).contains(milliseconds) else {
                throw ConfigurationError("PACE_TYPING_TIMEOUT_MS must be 100 to 60000, got '\(value)'")
            }
            typingTimeoutMilliseconds = milliseconds
            typingThrottleMilliseconds = min(typingThrottleMilliseconds, milliseconds / 2)
        }
        if let value = environment["PACE_WS_FRAMES_PER_SECOND"] {
            guard let rate = Int(value), (1...100_000).contains(rate) else {
                throw ConfigurationError("PACE_WS_FRAMES_PER_SECOND must be 1 to 100000, got '\(value)'")
            }
            framesPerSecond = rate
        }
        if environment["PACE_RATE_LIMITS"] == "off" { framesPerSecond = nil }
        if let value = environment["PACE_WS_DEFLATE"], try !ServerConfiguration.parseSwitch(value, "PACE_WS_DEFLATE") {
            socket.deflate = nil
        }
        if let value = environment["PACE_READ_RECEIPT_WINDOW_MS"] {
            guard let milliseconds = Int64(value), (0...5_000).contains(milliseconds) else {
                throw ConfigurationError("PACE_READ_RECEIPT_WINDOW_MS must be 0 to 5000, got '\(value)'")
            }
            readReceiptWindowMilliseconds = milliseconds
        }
        origins = OriginPolicy(setting: environment["PACE_ALLOWED_ORIGINS"])
        if let value = environment["PACE_CALL_RING_TIMEOUT_MS"] {
            guard let milliseconds = Int64(value), (100...600_000).contains(milliseconds) else {
                throw ConfigurationError("PACE_CALL_RING_TIMEOUT_MS must be 100 to 600000, got '\(value)'")
            }
            calls.ringTimeoutMilliseconds = milliseconds
        }
    }
}
