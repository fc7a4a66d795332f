/// A log-linear histogram of nanosecond latencies, allocated once: recording a sample is an
/// index computation and an increment, so measuring never allocates.
///
/// Values below 128 get a bucket each; above that, every power of two is split into 64
/// buckets, so a reported percentile is within 1/64 (1.6 %) of a value that was recorded.
package struct LatencyHistogram: Sendable {
    private static let exactLimit: UInt64 = 128
    private static let subBuckets: UInt64 = 64
    /// 128 exact buckets, then 64 for each power of two from 2^7 to 2^63.
    package static let bucketCount = 128 + 57 * 64

    private var counts: [UInt64]
    package private(set) var count: UInt64 = 0
    package private(set) var max: UInt64 = 0

    package init() {
        counts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    package mutating func record(_ value: UInt64) {
        counts[Self.bucketIndex(value)] &+= 1
        count &+= 1
        if value > max { max = value }
    }

    /// Forgets every sample, keeping the storage.
    package mutating func reset() {
        counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        count = 0
        max = 0
    }

    /// The value at or below which a fraction `p` (0...1) of the samples lie: the middle of
    /// the bucket holding the ceil(p * count)-th smallest sample, never above the maximum.
    /// Zero when nothing was recorded.
    package func percentile(_ p: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let fraction = Swift.min(Swift.max(p, 0), 1)
        let target = Swift.max(1, UInt64((fraction * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for index in counts.indices {
            seen &+= counts[index]
            if seen >= target {
                let (low, high) = Self.bounds(ofBucket: index)
                return Swift.min(low + (high - low) / 2, max)
            }
        }
        return max
    }

    /// The bucket `value` falls in.
    package static func bucketIndex(_ value: UInt64) -> Int {
        guard value >= exactLimit else { return Int(value) }
        let topBit = 63 - value.leadingZeroBitCount
        let shift = topBit - 6
        return 128 + (shift - 1) * 64 + Int((value >> UInt64(shift)) - subBuckets)
    }

    /// The smallest and largest value bucket `index` holds.
    package static func bounds(ofBucket index: Int) -> (low: UInt64, high: UInt64) {
        guard index >= Int(exactLimit) else { return (UInt64(index), UInt64(index)) }
        let offset = index - 128
        let shift = UInt64(offset / 64 + 1)
        let mantissa = UInt64(offset % 64) + subBuckets
        let low = mantissa << shift
        // The last bucket ends at UInt64.max; computing its end would overflow.
        let high = mantissa == 127 && shift == 57 ? UInt64.max : ((mantissa + 1) << shift) - 1
        return (low, high)
    }
}
