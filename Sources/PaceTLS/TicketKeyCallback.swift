internal import CSSL

/// OpenSSL's session-ticket key callback: with `encrypt` 1 it names the key and keys AES-256-CBC
/// and HMAC-SHA256 for a new ticket; with 0 it finds the key a ticket names. It returns 1 (use
/// it), 2 (use it and issue a fresh ticket: the key is the previous one), 0 (unknown key: full
/// handshake) or -1 (failure). The ring is reached through the context's app-data slot.
let ticketKeyCallback: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?,
    OpaquePointer?, OpaquePointer?, Int32
) -> Int32 = { ssl, name, iv, cipher, mac, encrypt in
    guard let name, let iv, let raw = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ticketRingSlot) else { return -1 }
    let ring = Unmanaged<TicketKeyRing>.fromOpaque(raw).takeUnretainedValue()
    let nameLength = 16
    if encrypt == 1 {
        let key = ring.current
        guard RAND_bytes(iv, 16) == 1 else { return -1 }
        UnsafeMutableRawBufferPointer(start: name, count: nameLength).copyBytes(from: key.name)
        return initialise(cipher, mac, key, iv: iv, encrypt: true) ? 1 : -1
    }
    guard let (key, isCurrent) = ring.key(named: UnsafeRawBufferPointer(start: name, count: nameLength)) else { return 0 }
    return initialise(cipher, mac, key, iv: iv, encrypt: false) ? (isCurrent ? 1 : 2) : -1
}

/// The app-data slot every SSL_CTX has; Pace stores the ticket ring there.
let ticketRingSlot: Int32 = 0

private func initialise(_ cipher: OpaquePointer?, _ mac: OpaquePointer?, _ key: TicketKeyRing.Key,
                        iv: UnsafeMutablePointer<UInt8>, encrypt: Bool) -> Bool {
    var macKey = key.macKey
    let macReady = macKey.withUnsafeMutableBufferPointer { pace_ticket_mac_init(mac, $0.baseAddress, $0.count) == 1 }
    let cipherReady = key.cipherKey.withUnsafeBufferPointer { cipherKey in
        encrypt ? EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nil, cipherKey.baseAddress, iv) == 1
                : EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nil, cipherKey.baseAddress, iv) == 1
    }
    return macReady && cipherReady
}
