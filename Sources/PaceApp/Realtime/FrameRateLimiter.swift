/// A token bucket over client frames: `rate` per second with a burst of twice that.
/// Persistent abuse (a second's worth of refused frames in a row) asks for a 1008 close.
struct FrameRateLimiter {
    enum Verdict { case allow, refuse, close }

    private let rate: Double
    private var tokens: Double
    private var last: Int64
    private var refusedInARow = 0

    init(perSecond rate: Int, now: Int64) {
        self.rate = Double(max(1, rate))
        tokens = self.rate * 2
        last = now
    }

    mutating func admit(now: Int64) -> Verdict {
        tokens = min(rate * 2, tokens + Double(now - last) * rate / 1000)
        last = now
        guard tokens >= 1 else {
            refusedInARow += 1
            return refusedInARow > Int(rate) ? .close : .refuse
        }
        tokens -= 1
        refusedInARow = 0
        return .allow
    }
}
