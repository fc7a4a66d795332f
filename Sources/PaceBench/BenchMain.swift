import PaceSystem

/// `pace-bench`'s entry point: parse, prepare the process, run one mode, print the result.
package enum BenchMain {
    /// Returns the exit status: 0 after a run (whatever it measured), 2 on a usage error.
    package static func run(_ arguments: [String]) -> Int32 {
        let options: BenchOptions
        do {
            switch try ArgumentParser.parse(arguments) {
            case .help:
                ProgressLog.standardOutput(ArgumentParser.usage)
                return 0
            case .run(let parsed):
                options = parsed
            }
        } catch {
            ProgressLog.standardError(error.message)
            ProgressLog.standardError(ArgumentParser.usage)
            return 2
        }
        let log = ProgressLog(quiet: options.quiet, verbose: options.verbose)
        Signals.ignoreBrokenPipe()
        let limit = ProcessProbe.raiseDescriptorLimit()
        if options.clients + 16 > limit {
            log.info("warning: \(options.clients) clients but only \(limit) file descriptors")
        }
        do {
            let tokens = try loadTokens(options.tokensFile)
            if !tokens.isEmpty && tokens.count < options.clients {
                log.info("warning: \(tokens.count) tokens for \(options.clients) clients; tokens are reused")
            }
            let driver = try LoadDriver(options: options, tokens: tokens, log: log)
            let result = switch options.mode {
            case .fanout: FanoutRun(options: options, driver: driver, log: log).run()
            case .idle: IdleRun(options: options, driver: driver, log: log).run()
            }
            ProgressLog.standardOutput(result)
            return 0
        } catch {
            ProgressLog.standardError(error.message)
            return 2
        }
    }

    private static func loadTokens(_ path: String?) throws(UsageError) -> [String] {
        guard let path else { return [] }
        guard let text = FileContents.text(path) else { throw UsageError("cannot read --tokens \(path)") }
        let tokens = ProcessProbe.tokens(fileText: text)
        guard !tokens.isEmpty else { throw UsageError("--tokens \(path) holds no tokens") }
        return tokens
    }
}
