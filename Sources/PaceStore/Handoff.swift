/// Moves a non-Sendable value to the one thread that will own it.
///
/// `@unchecked Sendable`: the creating thread gives up the value (it keeps no other reference),
/// so exactly one thread ever uses it.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
