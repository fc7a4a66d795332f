import PaceSystem

/// The data directory: created with its parents when missing, private to the server's user.
package enum DataDirectory {
    package static func create(_ path: String) throws(ConfigurationError) {
        do throws(SystemError) {
            try FileSystem.makeDirectories(path)
        } catch {
            throw ConfigurationError("cannot create data directory \(path): \(error)")
        }
    }
}
