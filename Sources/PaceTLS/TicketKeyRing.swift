#if canImport(Glibc)
import Glibc
#endif
import PaceCrypto
import Synchronization

/// Session-ticket keys, kept only in memory: a current key that seals new tickets and the
/// previous one, which still opens tickets sealed before the last rotation. Rotation happens
/// lazily when a ticket is sealed or opened after `rotationInterval`, so a ticket is accepted
/// for at most two intervals and a restart invalidates them all (no key ever touches disk).
/// Shared by every context a reload makes, so reloading keeps resumption working.
package final class TicketKeyRing: Sendable {
    package struct Key: Sendable, Equatable {
        /// Sent in the clear at the front of each ticket to find the key again.
        package let name: [UInt8]
        let cipherKey: [UInt8]
        let macKey: [UInt8]
        let created: Int64

        static func random(at now: Int64) -> Key {
            Key(name: SecureRandom.bytes(16), cipherKey: SecureRandom.bytes(32),
                macKey: SecureRandom.bytes(32), created: now)
        }
    }

    private struct Keys {
        var current: Key
        var previous: Key?
    }

    /// Seconds a key seals tickets before it is retired to `previous`.
    package let rotationInterval: Int64
    private let clock: @Sendable () -> Int64
    private let keys: Mutex<Keys>

    /// `clock` returns seconds on any steady scale; the default is the wall clock.
    package init(rotationInterval: Int64 = 12 * 3600,
                 clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) {
        self.rotationInterval = rotationInterval
        self.clock = clock
        keys = Mutex(Keys(current: .random(at: clock()), previous: nil))
    }

    /// The key new tickets are sealed with.
    package var current: Key {
        keys.withLock { keys in
            rotateIfDue(&keys)
            return keys.current
        }
    }

    /// The key named `name`, and whether it is still current (a ticket under the previous key
    /// is accepted and replaced by a fresh one).
    func key(named name: UnsafeRawBufferPointer) -> (key: Key, isCurrent: Bool)? {
        keys.withLock { keys in
            rotateIfDue(&keys)
            if keys.current.name.elementsEqual(name) { return (keys.current, true) }
            if let previous = keys.previous, previous.name.elementsEqual(name) { return (previous, false) }
            return nil
        }
    }

    /// Retires the current key now, as the interval would.
    package func rotate() {
        keys.withLock { keys in
            keys.previous = keys.current
            keys.current = .random(at: clock())
        }
    }

    private func rotateIfDue(_ keys: inout Keys) {
        let now = clock()
        guard now - keys.current.created >= rotationInterval else { return }
        // After a long idle gap the previous key is older than two intervals; drop it too.
        keys.previous = now - keys.current.created < 2 * rotationInterval ? keys.current : nil
        keys.current = .random(at: now)
    }
}
