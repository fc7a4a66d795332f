/// A minimal blocking WebSocket client for end-to-end tests: opening handshake, masked
/// frames out, raw frames in.
package final class WebSocketTestClient {
    package struct Frame: Equatable {
        package let fin: Bool
        package let opcode: UInt8
        package let payload: [UInt8]
        /// RSV1: a permessage-deflate message, its payload still compressed.
        package let compressed: Bool

        package init(fin: Bool, opcode: UInt8, payload: [UInt8], compressed: Bool = false) {
            self.fin = fin
            self.opcode = opcode
            self.payload = payload
            self.compressed = compressed
        }

        package var text: String { String(decoding: payload, as: UTF8.self) }
        /// The close code of a close frame.
        package var closeCode: UInt16? {
            opcode == 8 && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        }
    }

    package let client: any TestConnection
    /// The handshake response.
    package private(set) var handshake: TestResponse?
    private var pending: [UInt8] = []

    /// Connects over loopback TCP and upgrades; check `handshake?.status == 101`.
    package convenience init(port: UInt16, path: String = "/", headers: [(String, String)] = [],
                             timeoutSeconds: Int = 5, receiveBuffer: Int32? = nil) throws {
        self.init(over: try TestClient(port: port, timeoutSeconds: timeoutSeconds, receiveBuffer: receiveBuffer),
                  path: path, headers: headers)
    }

    /// Upgrades `client`'s fresh connection; check `handshake?.status == 101`.
    package init(over client: any TestConnection, path: String = "/", headers: [(String, String)] = []) {
        self.client = client
        var request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        client.send(request + "\r\n")
        handshake = client.readResponse(headRequest: true)
        pending = client.takeBuffered()
    }

    package func send(text: String) { send(opcode: 1, payload: Array(text.utf8)) }

    /// Sends one masked frame; `fin` false starts or continues a fragmented message; `rsv1`
    /// marks a payload the caller compressed.
    package func send(opcode: UInt8, payload: [UInt8], fin: Bool = true, rsv1: Bool = false) {
        client.send(Self.frame(opcode: opcode, payload: payload, fin: fin, rsv1: rsv1))
    }

    package func sendClose(code: UInt16) {
        send(opcode: 8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// The encoded, masked client frame.
    package static func frame(opcode: UInt8, payload: [UInt8], fin: Bool = true, rsv1: Bool = false) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode]
        if payload.count < 126 {
            out.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: payload.count >> shift)) }
        }
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        out += mask
        for (index, byte) in payload.enumerated() { out.append(byte ^ mask[index & 3]) }
        return out
    }

    /// Reads the next frame, or nil on EOF or timeout.
    package func readFrame() -> Frame? {
        guard fill(2) else { return nil }
        var length = Int(pending[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard fill(4) else { return nil }
            length = Int(pending[2]) << 8 | Int(pending[3])
            offset = 4
        } else if length == 127 {
            guard fill(10) else { return nil }
            length = pending[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard fill(offset + length) else { return nil }
        let frame = Frame(fin: pending[0] & 0x80 != 0, opcode: pending[0] & 0x0F,
                          payload: Array(pending[offset..<(offset + length)]), compressed: pending[0] & 0x40 != 0)
        pending.removeFirst(offset + length)
        return frame
    }

    /// Reads frames until one that is not a ping or pong.
    package func readDataOrClose() -> Frame? {
        while let frame = readFrame() {
            if frame.opcode != 9 && frame.opcode != 10 { return frame }
        }
        return nil
    }

    package func readsEOF() -> Bool { client.readsEOF() }

    private func fill(_ count: Int) -> Bool {
        while pending.count < count {
            guard let received = client.receive() else { return false }
            pending += received
        }
        return true
    }
}
