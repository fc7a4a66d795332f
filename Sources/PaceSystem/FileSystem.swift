#if canImport(Glibc)
import Glibc
#endif

/// Path-level file-system calls for blocking work (pool threads, start-up, operator
/// commands), each failure a `SystemError`.
package enum FileSystem {
    /// Creates `path` unless it exists.
    package static func makeDirectory(_ path: String, permissions: UInt32 = 0o700) throws(SystemError) {
        guard mkdir(path, mode_t(permissions)) == 0 || errno == EEXIST else { throw SystemError("mkdir") }
    }

    /// Creates `path` and its missing parents.
    package static func makeDirectories(_ path: String, permissions: UInt32 = 0o700) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            try makeDirectory(prefix, permissions: permissions)
        }
    }

    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The names in `directory`, without `.` and `..`.
    package static func list(_ directory: String) throws(SystemError) -> [String] {
        guard let stream = opendir(directory) else { throw SystemError("opendir") }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Last modification, in seconds since the epoch.
    package static func modifiedSeconds(_ path: String) throws(SystemError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemError("stat") }
        return Int64(info.st_mtim.tv_sec)
    }

    /// Replaces `destination` with `source` atomically (same file system).
    package static func rename(_ source: String, to destination: String) throws(SystemError) {
        guard Glibc.rename(source, destination) == 0 else { throw SystemError("rename") }
    }

    package static func remove(_ path: String) throws(SystemError) {
        guard unlink(path) == 0 else { throw SystemError("unlink") }
    }

    /// Makes a rename, creation or unlink in `directory` durable.
    package static func syncDirectory(_ directory: String) throws(SystemError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemError("fsync") }
    }

    /// Copies `source` to the new file `destination` (created with `permissions`, synced).
    package static func copy(_ source: String, to destination: String,
                             permissions: UInt32 = 0o600) throws(SystemError) {
        let input = try FileDescriptor.open(source, .readOnly)
        defer { input.close() }
        let output = try FileDescriptor.open(destination, .createNew(permissions: permissions))
        defer { output.close() }
        while true {
            let chunk = try input.read(upTo: 256 * 1024)
            if chunk.isEmpty { break }
            try output.writeAll(chunk)
        }
        try output.sync()
    }
}
