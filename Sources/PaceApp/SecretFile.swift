import PaceSystem

/// A secret the server generates once and keeps in its data directory (the token signing key,
/// the VAPID key): created, never overwritten, mode 0600, synced before it is used.
enum SecretFile {
    static func create(_ path: String, holding bytes: [UInt8]) throws(ConfigurationError) {
        // A new file only: two servers starting on one data dir must not overwrite each other's key.
        let file: FileDescriptor
        do throws(SystemError) {
            file = try FileDescriptor.open(path, .createNew(permissions: 0o600))
        } catch {
            throw ConfigurationError("cannot create \(path): \(error)")
        }
        defer { file.close() }
        do throws(SystemError) {
            try file.writeAll(bytes)
            try file.sync()
        } catch {
            throw ConfigurationError("cannot write \(path): \(error)")
        }
    }
}
