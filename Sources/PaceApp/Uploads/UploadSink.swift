import PaceCrypto
import PaceHTTP
import PaceSystem

/// A file received and stored: its content file exists and is pinned until the row is written.
struct ReceivedFile: Sendable {
    let sha256: String
    let size: Int64
    let contentType: String
    /// The multipart part's filename, unsanitized.
    let filename: String?
}

/// One upload body on its way to disk: decodes it (raw, or the `file` part of a multipart
/// form), appends the file bytes to a temporary file and hashes them on the way. Its methods
/// block on file I/O: `UploadReceiver` runs them on the pool, one at a time.
struct UploadSink {
    enum Format {
        /// The body is the file, of this (checked) media type.
        case raw(MediaType)
        case multipart(MultipartParser)
    }

    private var format: Format
    private let storage: UploadStorage
    /// Set once something went wrong; later bytes are ignored and the file is dropped.
    private(set) var failure: APIError?
    private var file: UploadStorage.TemporaryFile?
    private let hasher = SHA256Hasher()
    private var size: Int64 = 0
    /// Received, stored or dropped: nothing more happens.
    private var over = false
    private var filePart: MultipartPartHeaders?
    private var inFilePart = false

    init(format: Format, storage: UploadStorage, failure: APIError? = nil) {
        self.format = format
        self.storage = storage
        self.failure = failure
    }

    mutating func consume(_ chunk: [UInt8]) {
        guard failure == nil, !over else { return }
        guard case .multipart(var parser) = format else {
            chunk.withUnsafeBytes { append($0) }
            return
        }
        // The parser is taken out while it runs, so feeding it does not copy its buffers.
        format = .raw(.octetStream)
        let error = chunk.withUnsafeBytes { bytes -> MultipartError? in
            do throws(MultipartError) {
                try parser.feed(bytes) { event in handle(event) }
                return nil
            } catch {
                return error
            }
        }
        if let error { fail(Self.malformed(error)) }
        format = .multipart(parser)
    }

    /// The body is complete: syncs the file and moves it to its content path.
    mutating func complete() -> Result<ReceivedFile, APIError> {
        if case .multipart(let parser) = format, failure == nil {
            do throws(MultipartError) { try parser.finish() } catch { fail(Self.malformed(error)) }
            if failure == nil && filePart == nil { fail(.validation("file", "is required")) }
        }
        let contentType = failure == nil ? resolvedContentType() : nil
        guard !over, failure == nil, let contentType else {
            discard()
            return .failure(failure ?? .internalError)
        }
        over = true
        let created: UploadStorage.TemporaryFile
        do throws(SystemError) {
            if let file { created = file } else { created = try storage.createTemporaryFile() }
        } catch {
            return storageFailure(nil, error)
        }
        file = nil
        let sha256 = Hex.encode(hasher.finalize())
        storage.pin(sha256)
        do throws(SystemError) {
            defer { created.file.close() }
            try created.file.sync()
            try storage.store(temporaryPath: created.path, sha256: sha256)
        } catch {
            storage.unpin(sha256)
            return storageFailure(created.path, error)
        }
        return .success(ReceivedFile(sha256: sha256, size: size, contentType: contentType, filename: filePart?.filename))
    }

    /// The body will not complete: removes the partial file.
    mutating func discard() {
        over = true
        guard let file else { return }
        file.file.close()
        try? FileSystem.remove(file.path)
        self.file = nil
    }

    private mutating func handle(_ event: MultipartEvent) {
        switch event {
        case .partStart(let headers):
            inFilePart = filePart == nil && headers.name == "file"
            if inFilePart { filePart = headers }
        case .data(let bytes):
            if inFilePart { append(bytes) }
        case .partEnd:
            inFilePart = false
        }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        do throws(SystemError) {
            if file == nil { file = try storage.createTemporaryFile() }
            try file?.file.writeAll(bytes)
        } catch {
            Log.error("cannot write upload", ["error": "\(error)"])
            fail(.internalError)
            return
        }
        hasher.update(bytes)
        size += Int64(bytes.count)
    }

    private mutating func fail(_ error: APIError) {
        guard failure == nil else { return }
        failure = error
        discard()
    }

    /// The raw body's type, or the file part's (checked; `application/octet-stream` if absent).
    private mutating func resolvedContentType() -> String? {
        if case .raw(let type) = format { return type.text }
        guard let text = filePart?.contentType else { return MediaType.octetStream.text }
        guard let type = MediaType(text) else {
            fail(.validation("file", "has a Content-Type that is not a valid media type"))
            return nil
        }
        return type.text
    }

    private mutating func storageFailure(_ path: String?, _ error: SystemError) -> Result<ReceivedFile, APIError> {
        if let path { try? FileSystem.remove(path) }
        Log.error("cannot store upload", ["error": "\(error)"])
        return .failure(.internalError)
    }

    private static func malformed(_ error: MultipartError) -> APIError {
        APIError(400, "malformed_multipart", "The multipart body is malformed (\(error)).")
    }
}
