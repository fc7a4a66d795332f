#if canImport(Glibc)
import Glibc
#endif

/// Scratch directories under /tmp for tests.
package enum TemporaryDirectory {
    package struct Failure: Error {}

    package static func make() throws -> String {
        var template = Array("/tmp/pace-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let made else { throw Failure() }
        return made
    }

    /// Removes `path` and everything under it (a tree made by `make`).
    package static func remove(_ path: String) {
        guard path.hasPrefix("/tmp/pace-test-") else { return }
        removeTree(path)
    }

    private static func removeTree(_ path: String) {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard name != "." && name != ".." else { continue }
                let child = path + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) { removeTree(child) } else { unlink(child) }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}
