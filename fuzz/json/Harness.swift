// libFuzzer target for JSON decoding, compiled into the PaceJSON module (see fuzz/run.sh).
// A document that parses must survive writing and parsing again unchanged.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let value = try? JSONParser.parse(input) else { return 0 }
    var writer = JSONWriter()
    writer.value(value)
    guard let again = try? JSONParser.parse(writer.bytes), again == value else {
        fatalError("round trip changed the document")
    }
    if let reader = JSONObjectReader(value) {
        var copy = reader
        _ = copy.string("type")
        _ = copy.int("conversation_id")
        _ = copy.stringArray("attachment_ids")
    }
    return 0
}
