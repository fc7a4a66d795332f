import Synchronization

/// A Prometheus histogram of durations with fixed buckets, safe to record from any thread:
/// recording is one bucket search over 14 bounds and two relaxed atomic adds, never an
/// allocation, so it can sit on a hot path.
package final class DurationHistogram: Sendable {
    /// Upper bounds in seconds, from half a millisecond to five seconds.
    package static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                           0.1, 0.25, 0.5, 1, 2.5, 5]
    private static let boundNanoseconds: [Int] = bounds.map { Int($0 * 1e9) }

    private let name: String
    private let help: String
    /// One per bound, then +Inf; not cumulative (summed when rendered). The pointer never
    /// changes and every access goes through the atomics it points to.
    private nonisolated(unsafe) let buckets: UnsafeMutablePointer<Atomic<Int>>
    private static let bucketCount = bounds.count + 1
    private let sumNanoseconds = Atomic<Int>(0)
    private let longestNanoseconds = Atomic<Int>(0)

    package init(name: String, help: String) {
        self.name = name
        self.help = help
        buckets = .allocate(capacity: Self.bucketCount)
        for index in 0..<Self.bucketCount { (buckets + index).initialize(to: Atomic(0)) }
    }

    deinit {
        buckets.deinitialize(count: Self.bucketCount)
        buckets.deallocate()
    }

    package func record(nanoseconds: Int) {
        let value = max(0, nanoseconds)
        var bucket = 0
        while bucket < Self.boundNanoseconds.count && value > Self.boundNanoseconds[bucket] { bucket += 1 }
        buckets[bucket].add(1, ordering: .relaxed)
        sumNanoseconds.add(value, ordering: .relaxed)
        longestNanoseconds.max(value, ordering: .relaxed)
    }

    package var count: Int { (0..<Self.bucketCount).reduce(0) { $0 + buckets[$1].load(ordering: .relaxed) } }
    package var longestSeconds: Double { Double(longestNanoseconds.load(ordering: .relaxed)) / 1e9 }

    /// The histogram in the text exposition format, followed by a `<name>_longest` gauge: the
    /// single worst duration since start, which buckets alone cannot show.
    package func render() -> String {
        var out = PrometheusText.header(name, "histogram", help)
        var cumulative = 0
        for (index, bound) in Self.bounds.enumerated() {
            cumulative += buckets[index].load(ordering: .relaxed)
            out += "\(name)_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += buckets[Self.bounds.count].load(ordering: .relaxed)
        out += "\(name)_bucket{le=\"+Inf\"} \(cumulative)\n"
        out += "\(name)_sum \(Double(sumNanoseconds.load(ordering: .relaxed)) / 1e9)\n"
        out += "\(name)_count \(cumulative)\n"
        out += PrometheusText.header(name + "_longest", "gauge", "The longest single duration since start, in seconds.")
        out += "\(name)_longest \(longestSeconds)\n"
        return out
    }
}
