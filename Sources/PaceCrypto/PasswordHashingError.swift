internal import CArgon2

/// libargon2 refused to hash: the configured parameters are invalid or memory ran out.
/// Password contents never cause it (short of libargon2's 4 GiB length limit).
package struct PasswordHashingError: Error, Equatable {
    /// The `Argon2_ErrorCodes` value libargon2 returned.
    package let code: Int32

    package var message: String {
        String(cString: argon2_error_message(code))
    }
}
