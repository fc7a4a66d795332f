import PaceCrypto
import PaceJSON
import PaceServer
import PaceSystem

/// An export answered as NDJSON of unknown size: written to a file under `<data-dir>/exports`
/// on the blocking pool, unlinked as soon as it is reopened, and streamed from the descriptor,
/// so memory stays flat and no archive outlives its response.
enum NDJSONArchive {
    /// Where `fill` writes its lines.
    final class Output {
        private let file: FileDescriptor
        private(set) var length = 0

        init(_ file: FileDescriptor) { self.file = file }

        func emit(_ writer: JSONWriter) throws {
            try file.writeAll(writer.bytes + [UInt8(ascii: "\n")])
            length += writer.bytes.count + 1
        }
    }

    /// Pool threads only: runs `fill`, then answers 200 with the file (500 if anything failed).
    static func respond(_ context: AppContext, _ reply: Reply, filename: String, fill: (Output) throws -> Void) {
        let directory = context.configuration.dataDirectory + "/exports"
        let path = directory + "/" + Base64.url.encode(SecureRandom.bytes(12)) + ".ndjson"
        do {
            try FileSystem.makeDirectories(directory)
            let file = try FileDescriptor.open(path, .createNew(permissions: 0o600))
            let out = Output(file)
            do {
                try fill(out)
                file.close()
            } catch {
                file.close()
                try? FileSystem.remove(path)
                throw error
            }
            let reader = try FileDescriptor.open(path, .readOnly)
            try? FileSystem.remove(path)
            let stream = FileStream(file: reader, offset: 0, length: Int64(out.length), pool: context.pool)
            reply.send(HTTPResponse(status: 200, contentType: "application/x-ndjson",
                                    headers: [HTTPHeader("Content-Disposition", #"attachment; filename="\#(filename)""#)],
                                    body: .stream(length: out.length, stream)))
        } catch {
            Log.error("export failed", ["file": filename, "error": "\(error)"])
            reply.error(.internalError)
        }
    }
}
