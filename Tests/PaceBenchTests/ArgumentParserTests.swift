import Testing
@testable import PaceBench

@Suite struct ArgumentParserTests {
    private func options(_ arguments: [String]) throws -> BenchOptions {
        guard case .run(let options) = try ArgumentParser.parse(arguments) else {
            Issue.record("expected a run")
            return BenchOptions(mode: .idle)
        }
        return options
    }

    private func usageError(_ arguments: [String]) -> String? {
        do {
            _ = try ArgumentParser.parse(arguments)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func defaultsMatchTheUsageText() throws {
        let parsed = try options(["fanout"])
        #expect(parsed == BenchOptions(mode: .fanout))
        #expect(parsed.port == 8080 && parsed.clients == 100 && parsed.senders == 1 && parsed.rate == 0)
        #expect(parsed.window == 1 && parsed.duration == 10 && parsed.warmup == 2 && parsed.drain == 5)
        #expect(parsed.heartbeatMilliseconds == nil && parsed.pid == nil && parsed.tokensFile == nil)
    }

    @Test func tlsIsAFlagOffByDefault() throws {
        #expect(try options(["idle"]).tls == false)
        let parsed = try options(["idle", "--tls", "--port", "8443", "--deflate"])
        #expect(parsed.tls && parsed.port == 8443 && parsed.deflate)
        #expect(try options(["fanout"]).deflate == false)
    }

    @Test func readsBothOptionForms() throws {
        let parsed = try options(["fanout", "--port", "18080", "--clients=1000", "--senders", "10",
                                  "--rate", "0", "--window=8", "--duration", "15", "--warmup", "3",
                                  "--drain", "2.5", "--tokens", "/tmp/t", "--conversation", "42",
                                  "--path", "/api/v1/ws", "--heartbeat", "0", "-q", "--verbose"])
        var expected = BenchOptions(mode: .fanout)
        expected.port = 18080
        expected.clients = 1000
        expected.senders = 10
        expected.window = 8
        expected.duration = 15
        expected.warmup = 3
        expected.drain = 2.5
        expected.tokensFile = "/tmp/t"
        expected.conversation = "42"
        expected.heartbeatMilliseconds = 0
        expected.quiet = true
        expected.verbose = true
        #expect(parsed == expected)
        let idle = try options(["idle", "--clients", "10000", "--pid", "4242", "--rate=10.5"])
        #expect(idle.mode == .idle && idle.clients == 10_000 && idle.pid == 4242 && idle.rate == 10.5)
    }

    @Test func asksForHelp() throws {
        #expect(try ArgumentParser.parse(["--help"]) == .help)
        #expect(try ArgumentParser.parse(["fanout", "-h"]) == .help)
    }

    @Test func explainsBadCommandLines() {
        #expect(usageError([]) == "a mode is required: fanout or idle")
        #expect(usageError(["flood"]) == "unknown mode 'flood'")
        #expect(usageError(["fanout", "--bogus", "1"]) == "unknown option --bogus")
        #expect(usageError(["fanout", "--clients"]) == "--clients needs a value")
        #expect(usageError(["fanout", "extra"]) == "unexpected argument 'extra'")
        #expect(usageError(["fanout", "--clients", "0"]) == "--clients must be an integer in 1...1000000, not '0'")
        #expect(usageError(["fanout", "--port", "65536"]) == "--port must be an integer in 1...65535, not '65536'")
        #expect(usageError(["fanout", "--rate", "-1"]) == "--rate must be a number in 0.0...1000000.0, not '-1'")
        #expect(usageError(["fanout", "--duration", "nan"]) == "--duration must be a number in 0.001...86400.0, not 'nan'")
        #expect(usageError(["fanout", "--path", "api"]) == "--path must start with /")
        #expect(usageError(["fanout", "--clients", "5", "--senders", "6"]) == "--senders (6) cannot exceed --clients (5)")
    }
}

@Suite struct ProcessProbeTests {
    @Test func readsVmRSSWithTabsAndSpaces() {
        let status = "Name:\tpace\nVmPeak:\t  999 kB\nVmRSS:\t   18432 kB\nThreads:\t4\n"
        #expect(ProcessProbe.residentKiB(statusText: status) == 18_432)
        #expect(ProcessProbe.residentKiB(statusText: "Name:\tpace\n") == nil)
    }

    @Test func tokensAreNonEmptyLinesWithoutCarriageReturns() {
        #expect(ProcessProbe.tokens(fileText: "a.b.c\r\n\nd\ne\n") == ["a.b.c", "d", "e"])
        #expect(ProcessProbe.tokens(fileText: "\n\n").isEmpty)
    }

    @Test func expectedDeliveriesCountEveryOtherReceiver() {
        var statistics = FanoutStatistics()
        statistics.sent = 10
        #expect(statistics.expectedDeliveries(receivers: 1000) == 9_990)
        #expect(statistics.expectedDeliveries(receivers: 0) == 0)
    }
}
