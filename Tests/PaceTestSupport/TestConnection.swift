/// The byte stream under a test's client: a loopback socket (`TestClient`) or an in-memory
/// connection (`MemoryClient`). Reads wait, up to the client's timeout.
package protocol TestConnection: AnyObject {
    func send(_ bytes: [UInt8])
    /// One response off the stream; nil on timeout or end of stream before a complete one.
    func readResponse(headRequest: Bool) -> TestResponse?
    /// Bytes received after the last response read, handed to another reader.
    func takeBuffered() -> [UInt8]
    /// True when the other side ended the stream with nothing more to read.
    func readsEOF() -> Bool
    /// The next bytes to arrive; nil at the end of the stream or on timeout.
    func receive() -> [UInt8]?
}

extension TestConnection {
    package func send(_ text: String) { send(Array(text.utf8)) }
}
