import PaceSystem
import Synchronization

/// The blocked-word list in force, swapped whole by `reload` (SIGHUP) so a message is checked
/// against one list, the old or the new, never a mix.
package final class BlockedWordList: Sendable {
    private let environment: [String: String]
    private let words: Mutex<BlockedWords>

    /// Reads the list now: an unreadable file stops the start-up.
    package init(environment: [String: String]) throws(ConfigurationError) {
        self.environment = environment
        words = Mutex(try BlockedWords.load(environment: environment))
    }

    package var current: BlockedWords { words.withLock { $0 } }

    /// Re-reads `PACE_BLOCKED_WORDS_FILE`; a failure keeps the list in force and is logged.
    @discardableResult
    package func reload() -> Bool {
        do throws(ConfigurationError) {
            let fresh = try BlockedWords.load(environment: environment)
            words.withLock { $0 = fresh }
            Log.info("blocked words reloaded")
            return true
        } catch {
            Log.error("blocked words reload failed; the previous list stays in force", ["error": error.description])
            return false
        }
    }
}
