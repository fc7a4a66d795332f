#if canImport(Glibc)
import Glibc
#endif
import PaceHTTP

/// The `Date` header value, formatted at most once per second per loop.
struct DateCache {
    private var second = -1
    private(set) var value: [UInt8] = []

    mutating func current() -> [UInt8] {
        let now = time(nil)
        if now != second {
            second = now
            value = HTTPDate.imfFixdate(epochSeconds: now)
        }
        return value
    }
}
