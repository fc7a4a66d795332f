#if canImport(Glibc)
import Glibc
#endif

/// The data directory: created with its parents when missing, private to the server's user.
package enum DataDirectory {
    package static func create(_ path: String) throws(ConfigurationError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw ConfigurationError("cannot create data directory \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
