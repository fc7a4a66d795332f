#if canImport(Glibc)
import Glibc
#endif
import PaceSystem
import PaceTestSupport
import Testing

@Suite("Files behind PaceSystem: typed errors, whole writes, short reads only at the end")
struct FileSystemTests {
    @Test func writesReadsAndCopiesAFile() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let file = try FileDescriptor.open(directory + "/a", .createNew(permissions: 0o600))
        try file.writeAll(bytes)
        try file.sync()
        file.close()
        let reader = try FileDescriptor.open(directory + "/a", .readOnly)
        defer { reader.close() }
        #expect(try reader.read(upTo: 10, at: 1000) == Array(bytes[1000..<1010]))
        #expect(try reader.read(upTo: 100, at: Int64(bytes.count - 4)) == Array(bytes.suffix(4)), "short at the end")
        #expect(try reader.read(upTo: 100, at: Int64(bytes.count)).isEmpty)
        try FileSystem.copy(directory + "/a", to: directory + "/b")
        let copy = try FileDescriptor.open(directory + "/b", .readOnly)
        defer { copy.close() }
        #expect(try copy.read(upTo: bytes.count + 1) == bytes)
    }

    @Test func failuresAreTypedWithTheirErrno() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        #expect(throws: SystemError("open", code: ENOENT)) { try FileDescriptor.open(directory + "/none", .readOnly) }
        let file = try FileDescriptor.open(directory + "/a", .createNew(permissions: 0o600))
        file.close()
        #expect(throws: SystemError("open", code: EEXIST)) {
            try FileDescriptor.open(directory + "/a", .createNew(permissions: 0o600))
        }
        #expect(throws: SystemError("unlink", code: ENOENT)) { try FileSystem.remove(directory + "/none") }
        #expect(throws: SystemError("rename", code: ENOENT)) { try FileSystem.rename(directory + "/none", to: directory + "/x") }
        #expect(throws: SystemError("opendir", code: ENOENT)) { try FileSystem.list(directory + "/none") }
        do {
            _ = try FileSystem.modifiedSeconds(directory + "/none")
            Issue.record("stat of a missing file succeeded")
        } catch {
            #expect(error.isNotFound)
        }
        #expect(throws: SystemError("open", code: EEXIST), "never over an existing file") { try FileSystem.copy(directory + "/a", to: directory + "/a") }
    }

    @Test func directoriesAreMadeWithTheirParentsAndListed() throws {
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        try FileSystem.makeDirectories(directory + "/x/y/z")
        try FileSystem.makeDirectories(directory + "/x/y/z")
        try FileSystem.makeDirectory(directory + "/x/w")
        #expect(try FileSystem.list(directory + "/x").sorted() == ["w", "y"])
        #expect(FileSystem.exists(directory + "/x/y/z"))
        try FileSystem.syncDirectory(directory + "/x")
        #expect(try FileSystem.modifiedSeconds(directory + "/x") > 1_600_000_000)
    }
}
