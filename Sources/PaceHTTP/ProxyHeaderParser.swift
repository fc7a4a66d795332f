import PaceAddress

/// A resumable parser of one PROXY protocol header (v2 binary, v1 text) at the start of a
/// connection. Feed bytes as they arrive; it keeps only the fixed part and the addresses
/// (at most 52 bytes for v2, the 107-byte line for v1) and skips TLVs without storing them.
/// `wanted` says how many bytes can be read without reading past the header, so a transport
/// can leave everything after it in the socket.
package struct ProxyHeaderParser {
    package enum Step: Equatable {
        /// Every byte was consumed; the header is not complete.
        case needMore
        /// The header ended after `consumed` bytes of the last input.
        case complete(ProxyHeader, consumed: Int)
        case failure(ProxyHeaderError)
    }

    package static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    private static let v1Prefix = Array("PROXY ".utf8)
    /// The v1 line limit, CRLF included (the specification's worst case).
    package static let maxV1Line = 107

    private enum State {
        case start
        case v2Fixed
        /// `remaining` bytes of the address block are to come, the first `kept` of which are stored.
        case v2Body(remaining: Int, kept: Int, proxied: Bool)
        case v1Line
        case done(ProxyHeader)
        case failed(ProxyHeaderError)
    }

    private var state = State.start
    private var stored: [UInt8] = []
    private let maxAddressBlock: Int

    /// `maxAddressBlock` bounds a v2 header's address-and-TLV length, checked before any of
    /// it is read.
    package init(maxAddressBlock: Int = 1024) {
        self.maxAddressBlock = maxAddressBlock
    }

    /// Bytes that may be read next without reading past the end of the header.
    package var wanted: Int {
        switch state {
        case .start: 12
        case .v2Fixed: 16 - stored.count
        case .v2Body(let remaining, _, _): remaining
        case .v1Line: stored.last == ByteClass.carriageReturn ? 1 : 2
        case .done, .failed: 0
        }
    }

    package mutating func parse(_ bytes: UnsafeRawBufferPointer) -> Step {
        var index = 0
        while true {
            switch state {
            case .done(let header): return .complete(header, consumed: index)
            case .failed(let error): return .failure(error)
            default: break
            }
            guard index < bytes.count else { return .needMore }
            index += step(UnsafeRawBufferPointer(rebasing: bytes[index...]))
        }
    }

    /// Advances over a prefix of `bytes` (at least one byte unless the state changed without
    /// input); returns how many were used.
    private mutating func step(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch state {
        case .start:
            if stored.capacity == 0 { stored.reserveCapacity(Self.maxV1Line) }
            switch bytes[0] {
            case Self.signature[0]: state = .v2Fixed
            case Self.v1Prefix[0]: state = .v1Line
            default: state = .failed(.badSignature)
            }
            return 0
        case .v2Fixed:
            let byte = bytes[0]
            stored.append(byte)
            if stored.count <= 12 && byte != Self.signature[stored.count - 1] {
                state = .failed(.badSignature)
            } else if stored.count == 16 {
                state = v2BodyState()
                if case .v2Body(0, _, let proxied) = state { state = finishV2(proxied: proxied) }
            }
            return 1
        case .v2Body(let remaining, let kept, let proxied):
            let taken = min(remaining, bytes.count)
            let storedBody = stored.count - 16
            if storedBody < kept { stored.append(contentsOf: bytes[0..<min(taken, kept - storedBody)]) }
            state = remaining == taken ? finishV2(proxied: proxied) : .v2Body(remaining: remaining - taken, kept: kept,
                                                                                proxied: proxied)
            return taken
        case .v1Line:
            let byte = bytes[0]
            stored.append(byte)
            state = v1LineState(after: byte)
            return 1
        case .done, .failed:
            return 0
        }
    }

    private func v2BodyState() -> State {
        guard stored[12] >> 4 == 2 else { return .failed(.badVersion) }
        let length = Int(stored[14]) << 8 | Int(stored[15])
        guard length <= maxAddressBlock else { return .failed(.tooLong) }
        let addressBytes: Int
        switch stored[12] & 0x0F {
        case 0x0:
            return .v2Body(remaining: length, kept: 0, proxied: false)
        case 0x1:
            switch stored[13] {
            case 0x00: addressBytes = 0
            case 0x11: addressBytes = 12
            case 0x21: addressBytes = 36
            case 0x12, 0x22: return .failed(.unsupportedTransport)
            default: return .failed(.unsupportedFamily)
            }
        default:
            return .failed(.badCommand)
        }
        guard length >= addressBytes else { return .failed(.truncatedAddresses) }
        return .v2Body(remaining: length, kept: addressBytes, proxied: addressBytes > 0)
    }

    private func finishV2(proxied: Bool) -> State {
        guard proxied else { return .done(ProxyHeader(version: .v2, source: nil, destination: nil)) }
        return stored.withUnsafeBytes { raw -> State in
            let body = UnsafeRawBufferPointer(rebasing: raw[16...])
            let isIPv4 = stored[13] == 0x11
            let width = isIPv4 ? 4 : 16
            func address(_ offset: Int) -> IPAddress {
                if isIPv4 {
                    return IPAddress(ipv4: UInt32(body[offset]) << 24 | UInt32(body[offset + 1]) << 16
                                     | UInt32(body[offset + 2]) << 8 | UInt32(body[offset + 3]))
                }
                return IPAddress(networkBytes: UnsafeRawBufferPointer(rebasing: body[offset..<offset + 16]))
            }
            func port(_ offset: Int) -> UInt16 { UInt16(body[offset]) << 8 | UInt16(body[offset + 1]) }
            let source = ProxyEndpoint(address: address(0), port: port(2 * width))
            let destination = ProxyEndpoint(address: address(width), port: port(2 * width + 2))
            return .done(ProxyHeader(version: .v2, source: source, destination: destination))
        }
    }

    private func v1LineState(after byte: UInt8) -> State {
        let count = stored.count
        if count <= Self.v1Prefix.count && byte != Self.v1Prefix[count - 1] { return .failed(.badSignature) }
        if count >= 2 && stored[count - 2] == ByteClass.carriageReturn && byte != ByteClass.lineFeed {
            return .failed(.badLine)
        }
        if byte == ByteClass.lineFeed {
            guard count >= 2 && stored[count - 2] == ByteClass.carriageReturn else { return .failed(.badLine) }
            return ProxyLineV1.parse(stored[Self.v1Prefix.count..<count - 2]).map { .done($0) } ?? .failed(.badLine)
        }
        return count >= Self.maxV1Line ? .failed(.tooLong) : .v1Line
    }
}
