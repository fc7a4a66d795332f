import Testing
@testable import PaceBench

@Suite struct LatencyHistogramTests {
    @Test func emptyHistogramReportsZero() {
        let histogram = LatencyHistogram()
        #expect(histogram.count == 0)
        #expect(histogram.percentile(0.5) == 0)
        #expect(histogram.percentile(0.99) == 0)
        #expect(histogram.max == 0)
    }

    @Test func smallValuesAreExact() {
        var histogram = LatencyHistogram()
        for value in UInt64(1)...100 { histogram.record(value) }
        #expect(histogram.count == 100)
        #expect(histogram.percentile(0.5) == 50)
        #expect(histogram.percentile(0.99) == 99)
        #expect(histogram.percentile(1) == 100)
        #expect(histogram.percentile(0) == 1)
        #expect(histogram.max == 100)
    }

    @Test func largeValuesStayWithinOneSixtyFourth() {
        var histogram = LatencyHistogram()
        // 1 ms to 100 ms in 10 us steps, in nanoseconds.
        for step in UInt64(100)...10_000 { histogram.record(step * 10_000) }
        for (fraction, exact) in [(0.5, 50_500_000.0), (0.9, 90_010_000.0), (0.99, 99_010_000.0)] {
            let reported = Double(histogram.percentile(fraction))
            #expect(abs(reported - exact) / exact < 1.0 / 64, "p\(fraction): \(reported) vs \(exact)")
        }
        #expect(histogram.percentile(1) == 100_000_000)
    }

    @Test func percentileNeverExceedsTheMaximum() {
        var histogram = LatencyHistogram()
        histogram.record(1_000_001)
        #expect(histogram.percentile(0.5) == 1_000_001)
        #expect(histogram.percentile(0.999) <= histogram.max)
    }

    @Test func bucketsCoverEveryValueInOrder() {
        var previous = -1
        var value: UInt64 = 0
        while true {
            let index = LatencyHistogram.bucketIndex(value)
            let bounds = LatencyHistogram.bounds(ofBucket: index)
            #expect(index >= previous && index < LatencyHistogram.bucketCount)
            #expect(bounds.low <= value && value <= bounds.high, "\(value) outside bucket \(index)")
            previous = index
            guard value < UInt64.max / 3 else { break }
            value = value * 3 / 2 + 1
        }
        #expect(LatencyHistogram.bucketIndex(.max) == LatencyHistogram.bucketCount - 1)
        #expect(LatencyHistogram.bounds(ofBucket: LatencyHistogram.bucketCount - 1).high == .max)
        #expect(LatencyHistogram.bucketIndex(127) == 127)
        #expect(LatencyHistogram.bucketIndex(128) == 128)
        #expect(LatencyHistogram.bounds(ofBucket: 128) == (128, 129))
    }

    @Test func resetForgetsSamples() {
        var histogram = LatencyHistogram()
        histogram.record(5_000)
        histogram.reset()
        #expect(histogram.count == 0 && histogram.max == 0 && histogram.percentile(0.5) == 0)
        histogram.record(7)
        #expect(histogram.percentile(0.5) == 7)
    }
}
