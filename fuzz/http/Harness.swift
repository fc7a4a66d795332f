// libFuzzer target for the HTTP/1.1 request parser and body decoder. Compiled into the
// PaceHTTP module itself (see fuzz/run.sh). Checks more than "no crash": the parser must
// give the same answer however the input is split, as a resumable parser promises.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let whole = parseHead(input, splitAt: nil)
    if size > 1 {
        let split = Int(input[0]) % size
        let pieces = parseHead(input, splitAt: split)
        guard describe(whole) == describe(pieces) else { fatalError("split at \(split) changed the result") }
    }
    if case .complete(let head) = whole.result, head.hasBody {
        decodeBody(UnsafeRawBufferPointer(rebasing: input[head.byteCount...]), head)
    }
    return 0
}

private struct Outcome {
    var result: HeadParseResult
    var headers: [HTTPHeaderField]
}

private func parseHead(_ input: UnsafeRawBufferPointer, splitAt split: Int?) -> Outcome {
    var parser = RequestHeadParser()
    var headers: [HTTPHeaderField] = []
    if let split {
        let first = parser.parse(UnsafeRawBufferPointer(rebasing: input[0..<split]), into: &headers)
        if case .needMore = first {} else { return Outcome(result: first, headers: headers) }
    }
    return Outcome(result: parser.parse(input, into: &headers), headers: headers)
}

private func describe(_ outcome: Outcome) -> String {
    switch outcome.result {
    case .complete(let head): "complete \(head) \(outcome.headers)"
    case .needMore: "needMore"
    case .failure(let error): "failure \(error)"
    }
}

private func decodeBody(_ body: UnsafeRawBufferPointer, _ head: RequestHead) {
    guard var decoder = try? BodyDecoder.forRequest(head, maxBodyBytes: 1 << 20, limits: HTTPLimits()) else { return }
    var offset = 0
    var steps = 0
    while steps < 100_000 {
        steps += 1
        switch decoder.decode(UnsafeRawBufferPointer(rebasing: body[offset...])) {
        case .data(let range):
            guard range.upperBound > 0 || range.isEmpty else { return }
            offset += range.upperBound
        case .needMore, .end, .failure:
            return
        }
    }
    fatalError("body decoder made no progress")
}
