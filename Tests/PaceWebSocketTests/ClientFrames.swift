@testable import PaceWebSocket

/// How a test frame spells its payload length; `.minimal` is what a conforming client sends.
enum LengthForm {
    case minimal, sixteenBit, sixtyFourBit
}

/// Builds client frames byte by byte, including the malformed ones a conforming client
/// never sends.
enum ClientFrame {
    static let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

    static func make(
        _ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0,
        masked: Bool = true, length: LengthForm = .minimal, key: [UInt8] = ClientFrame.key
    ) -> [UInt8] {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        let count = payload.count
        let form = length == .minimal ? (count < 126 ? .minimal : count <= 0xFFFF ? .sixteenBit : .sixtyFourBit) : length
        switch form {
        case .minimal:
            frame.append(maskBit | UInt8(count))
        case .sixteenBit:
            frame += [maskBit | 126, UInt8(count >> 8), UInt8(count & 0xFF)]
        case .sixtyFourBit:
            frame.append(maskBit | 127)
            frame += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(count) >> UInt64($0 * 8)) }
        }
        guard masked else { return frame + payload }
        return frame + key + mask(payload, key: key)
    }

    static func text(_ payload: [UInt8], fin: Bool = true) -> [UInt8] { make(0x1, payload, fin: fin) }
    static func text(_ payload: String, fin: Bool = true) -> [UInt8] { make(0x1, Array(payload.utf8), fin: fin) }
    static func binary(_ payload: [UInt8], fin: Bool = true) -> [UInt8] { make(0x2, payload, fin: fin) }
    static func continuation(_ payload: [UInt8], fin: Bool = true) -> [UInt8] { make(0x0, payload, fin: fin) }
    static func ping(_ payload: [UInt8] = []) -> [UInt8] { make(0x9, payload) }
    static func pong(_ payload: [UInt8] = []) -> [UInt8] { make(0xA, payload) }

    static func close(code: UInt16?, reason: [UInt8] = []) -> [UInt8] {
        guard let code else { return make(0x8, []) }
        return make(0x8, [UInt8(code >> 8), UInt8(code & 0xFF)] + reason)
    }

    /// The naive byte-at-a-time masking of section 5.3, as a reference for the fast one.
    static func mask(_ payload: [UInt8], key: [UInt8], offset: Int = 0) -> [UInt8] {
        payload.enumerated().map { $0.element ^ key[($0.offset + offset) % 4] }
    }

    /// A server frame as a client would send it: the mask bit set and the payload masked.
    static func masking(serverFrame frame: [UInt8], key: [UInt8] = ClientFrame.key) -> [UInt8] {
        let headerLength = switch frame[1] & 0x7F {
        case 126: 4
        case 127: 10
        default: 2
        }
        var header = Array(frame[..<headerLength])
        header[1] |= 0x80
        return header + key + mask(Array(frame[headerLength...]), key: key)
    }

    static func bytes(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    static func ascii(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(ascii: "a") + UInt8($0 % 26) }
    }
}
