@testable import PaceHTTP
import PaceTestSupport
import Testing

@Suite("Multipart parser")
struct MultipartParserTests {
    struct Part: Equatable {
        var headers: MultipartPartHeaders
        var data: [UInt8] = []
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let body: String
        let expected: Result<[ExpectedPart], MultipartError>
        var testDescription: String { name }
    }

    struct ExpectedPart: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var data: String
    }

    static let boundary = "b0undary"

    static let cases: [Case] = [
        Case(name: "one file part", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b0undary--\r\n",
             expected: .success([ExpectedPart(name: "file", filename: "a.txt", contentType: "text/plain", data: "hello")])),
        Case(name: "preamble, two parts, epilogue", body: "ignored\r\n--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b0undary\r\ncontent-disposition: FORM-DATA; name=file\r\n\r\n\r\n--b0undar\r\n\r\n--b0undary--trailing junk",
             expected: .success([ExpectedPart(name: "a", data: "1"), ExpectedPart(name: "file", data: "\r\n--b0undar\r\n")])),
        Case(name: "empty part body and padding after boundary", body: "--b0undary \t\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "file", data: "")])),
        Case(name: "data with CRs and near-boundaries", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\r\r\n\r\n-\r\n--\r\n--b0\r\r\n--b0undar\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "file", data: "\r\r\n\r\n-\r\n--\r\n--b0\r\r\n--b0undar")])),
        Case(name: "boundary inside content followed by junk", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nab\r\n--b0undaryX\r\n--b0undary--",
             expected: .failure(.malformedDelimiter)),
        Case(name: "filename* wins over filename", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"; filename*=UTF-8''%C3%A9t%C3%A9.txt\r\n\r\nz\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "file", filename: "été.txt", data: "z")])),
        Case(name: "escaped quote, literal backslashes", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\dir\\a\\\"b.txt\"\r\n\r\nz\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "file", filename: "C:\\dir\\a\"b.txt", data: "z")])),
        Case(name: "trailing backslash is literal, as browsers send it", body: "--b0undary\r\nContent-Disposition: form-data; name=\"a\\\"\r\n\r\n1\r\n--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\\\"; size=1\r\n\r\nz\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "a\\", data: "1"), ExpectedPart(name: "file", filename: "x\\", data: "z")])),
        Case(name: "no closing boundary", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhello",
             expected: .failure(.truncated)),
        Case(name: "empty body", body: "", expected: .failure(.truncated)),
        Case(name: "no boundary at all", body: "just some bytes", expected: .failure(.truncated)),
        Case(name: "junk after boundary", body: "--b0undary!\r\n", expected: .failure(.malformedDelimiter)),
        Case(name: "bare LF after boundary", body: "--b0undary\n", expected: .failure(.malformedDelimiter)),
        Case(name: "no disposition", body: "--b0undary\r\nContent-Type: text/plain\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.missingDisposition)),
        Case(name: "disposition not form-data", body: "--b0undary\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.malformedHeaders)),
        Case(name: "disposition without name", body: "--b0undary\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.malformedHeaders)),
        Case(name: "header line without colon", body: "--b0undary\r\nContent-Disposition: form-data; name=file\r\nnonsense\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.malformedHeaders)),
        Case(name: "unterminated quoted string", body: "--b0undary\r\nContent-Disposition: form-data; name=\"file\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.malformedHeaders)),
        Case(name: "headers too large", body: "--b0undary\r\nContent-Disposition: form-data; name=file\r\nX-Pad: " + String(repeating: "a", count: 9000) + "\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.headersTooLarge)),
        Case(name: "quoted boundary parameter's delimiter", body: "--b0undary\r\nContent-Disposition: form-data; name=file\r\n\r\nq\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "file", data: "q")])),
        Case(name: "boundary without the leading dashes", body: "b0undary\r\nContent-Disposition: form-data; name=file\r\n\r\nx\r\nb0undary--",
             expected: .failure(.truncated)),
        Case(name: "missing CRLF before the closing boundary", body: "--b0undary\r\nContent-Disposition: form-data; name=file\r\n\r\nx--b0undary--",
             expected: .failure(.truncated)),
        Case(name: "missing CRLF after a part header", body: "--b0undary\r\nContent-Disposition: form-data; name=file\nX: y\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.malformedHeaders)),
        Case(name: "padding over the limit", body: "--b0undary" + String(repeating: " ", count: 65) + "\r\n",
             expected: .failure(.malformedDelimiter)),
        Case(name: "part header value with DEL", body: "--b0undary\r\nContent-Disposition: form-data; name=file\r\nX: a\u{7F}b\r\n\r\nx\r\n--b0undary--",
             expected: .failure(.malformedHeaders)),
        Case(name: "filename* in another charset falls back to filename", body: "--b0undary\r\nContent-Disposition: form-data; name=file; filename=a.txt; filename*=ISO-8859-1''%E9\r\n\r\nx\r\n--b0undary--",
             expected: .success([ExpectedPart(name: "file", filename: "a.txt", data: "x")])),
        Case(name: "too many parts", body: String(repeating: "--b0undary\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n", count: 33) + "--b0undary--",
             expected: .failure(.tooManyParts)),
    ]

    /// Feeds `body` in the pieces that `cuts` delimit and collects the parts, or the error.
    static func parse(_ body: [UInt8], cuts: [Int]) -> Result<[Part], MultipartError> {
        var parser = MultipartParser(boundary: Array(boundary.utf8))
        var parts: [Part] = []
        let bounds = [0] + cuts + [body.count]
        for index in 0..<(bounds.count - 1) {
            let piece = Array(body[bounds[index]..<bounds[index + 1]])
            let failure = piece.withUnsafeBytes { bytes -> MultipartError? in
                do throws(MultipartError) {
                    try parser.feed(bytes) { event in
                        switch event {
                        case .partStart(let headers): parts.append(Part(headers: headers))
                        case .data(let data): parts[parts.count - 1].data += Array(data)
                        case .partEnd: break
                        }
                    }
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { return .failure(failure) }
        }
        do throws(MultipartError) {
            try parser.finish()
        } catch {
            return .failure(error)
        }
        return .success(parts)
    }

    @Test(arguments: cases)
    func wholeBytewiseAndSplitAtEveryPosition(_ testCase: Case) {
        let body = Array(testCase.body.utf8)
        let expected = testCase.expected.map { parts in
            parts.map { Part(headers: MultipartPartHeaders(name: $0.name, filename: $0.filename, contentType: $0.contentType),
                             data: Array($0.data.utf8)) }
        }
        #expect(Self.parse(body, cuts: []) == expected, "whole")
        #expect(Self.parse(body, cuts: body.isEmpty ? [] : Array(1..<body.count)) == expected, "byte by byte")
        for cut in 0...body.count {
            #expect(Self.parse(body, cuts: [cut]) == expected, "split at \(cut)")
        }
    }

    @Test func aQuotedBoundaryParameterDrivesTheParser() {
        let type = MediaType("multipart/form-data; boundary=\"b0undary\"")
        #expect(type?.boundary == Array(Self.boundary.utf8))
    }

    @Test func largeBinaryPartRoundTripsInOddPieces() {
        let data = patterned(300_000)
        let body = multipartBody("XyZ", [FormPart(name: "note", bytes: Array("hi".utf8)),
                                         FormPart(name: "file", filename: "f.bin", contentType: "application/x-thing", bytes: data)])
        var parser = MultipartParser(boundary: Array("XyZ".utf8))
        var received: [UInt8] = []
        var current = ""
        var offset = 0
        var step = 1
        while offset < body.count {
            let end = min(body.count, offset + step)
            Array(body[offset..<end]).withUnsafeBytes { bytes in
                try? parser.feed(bytes) { event in
                    switch event {
                    case .partStart(let headers): current = headers.name
                    case .data(let chunk): if current == "file" { received += Array(chunk) }
                    case .partEnd: current = ""
                    }
                }
            }
            offset = end
            step = step * 3 % 65_537 + 1
        }
        #expect((try? parser.finish()) != nil)
        #expect(received == data)
    }
}
