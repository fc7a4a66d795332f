/// Stops the process when libcrypto fails an operation that cannot fail for valid arguments.
///
/// Such failures mean allocation failure or a broken library, never bad input. Carrying on would
/// hand out wrong digests or guessable random bytes, which is worse than stopping.
package func libraryFault(_ operation: StaticString) -> Never {
    fatalError("libcrypto failed in \(operation)")
}
