// libFuzzer target for the WebSocket frame reader, compiled into the PaceWebSocket module
// (see fuzz/run.sh). Feeds the input whole and in two pieces; the events must agree.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocket(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let whole = events(input, chunk: size)
    if size > 1 {
        let chunk = max(1, Int(input[0]) % size)
        guard events(input, chunk: chunk) == whole else { fatalError("chunking by \(chunk) changed the events") }
    }
    return 0
}

/// Reads `input` as if it arrived `chunk` bytes at a time, re-offering unconsumed bytes.
private func events(_ input: UnsafeRawBufferPointer, chunk: Int) -> [WebSocketEvent] {
    var reader = WebSocketReader(maxMessageBytes: 1 << 16)
    var pending: [UInt8] = []
    var out: [WebSocketEvent] = []
    var offset = 0
    while offset < input.count && !reader.isFinished {
        let end = min(input.count, offset + chunk)
        pending += input[offset..<end]
        offset = end
        while !reader.isFinished {
            let result = pending.withUnsafeBytes { reader.read($0) }
            pending.removeFirst(result.consumed)
            guard let event = result.event else { break }
            out.append(event)
        }
    }
    return out
}
