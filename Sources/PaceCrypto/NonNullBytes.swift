/// Calls `body` with a base address that is never null, even for an empty buffer.
///
/// libcrypto reads a null key as "no key given" rather than "an empty key", so empty inputs
/// get a pointer to a static byte instead (read zero bytes from it).
func withNonNullBase<Result>(
    _ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawPointer, Int) -> Result
) -> Result {
    if let base = bytes.baseAddress {
        return body(base, bytes.count)
    }
    let empty: StaticString = ""
    return body(UnsafeRawPointer(empty.utf8Start), 0)
}
