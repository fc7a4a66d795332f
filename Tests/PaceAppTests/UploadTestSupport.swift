#if canImport(Glibc)
import Glibc
#endif
@testable import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import PaceTestSupport
import Testing

/// Users, tokens, uploads and file-system probes for the upload suites. Users and tokens are
/// made directly in the store and with the signing key, so these suites need no auth routes.
extension TestApp {
    /// Runs statements in one write, for rows other suites' routes would create.
    func insert(_ statements: [(String, [SQLValue])]) throws {
        try server.context.store.writeNow { database throws(StoreError) in
            for (sql, values) in statements { try database.run(sql, values) }
        }
    }

    /// A raw-body upload.
    func upload(_ bytes: [UInt8], contentType: String? = "application/octet-stream", query: String = "",
                token: String?) throws -> TestResponse {
        try request("POST", "/api/v1/uploads" + query, body: bytes, contentType: contentType, token: token)
    }

    /// Uploads `bytes` and returns the new upload's id.
    func uploadID(_ bytes: [UInt8], contentType: String = "application/octet-stream", query: String = "",
                  token: String) throws -> String {
        let response = try upload(bytes, contentType: contentType, query: query, token: token)
        #expect(response.status == 201)
        return try #require(try JSONParser.parse(response.body)["id"]?.stringValue)
    }

    func uploadRows() throws -> Int64 {
        try server.context.store.readNow { database throws(StoreError) in
            try database.queryFirst("SELECT count(*) FROM uploads") { $0.int64(0) } ?? 0
        }
    }

    var uploadsDirectory: String { directory + "/uploads" }

    /// Names in `uploads/tmp`.
    func temporaryFiles() -> [String] { Self.names(in: uploadsDirectory + "/tmp") }

    /// Paths of content files, as `aa/sha256`.
    func contentFiles() -> [String] {
        Self.names(in: uploadsDirectory).filter { $0 != "tmp" }.flatMap { shard in
            Self.names(in: uploadsDirectory + "/" + shard).map { shard + "/" + $0 }
        }
    }

    private static func names(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// Polls `condition` for up to three seconds (or `milliseconds`).
func eventually(milliseconds: Int64 = 3000, _ condition: () -> Bool) -> Bool {
    let deadline = Clock.monotonicMilliseconds() + milliseconds
    while !condition() {
        guard Clock.monotonicMilliseconds() < deadline else { return false }
        usleep(10_000)
    }
    return true
}
