/// Immutable bytes at a stable address, shared by reference: a fan-out event is encoded once
/// into one of these and queued on every recipient socket, so sending it to N sockets costs N
/// retains, not N copies. Freed when the last queue that holds it has written it.
package final class SharedBytes: Sendable {
    /// Valid for the object's lifetime; never written after `init`.
    package nonisolated(unsafe) let bytes: UnsafeRawBufferPointer

    package init(_ source: some Collection<UInt8>) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, source.count), alignment: 1)
        storage.copyBytes(from: source)
        bytes = UnsafeRawBufferPointer(rebasing: storage[0..<source.count])
    }

    package var count: Int { bytes.count }

    deinit {
        UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate()
    }
}
