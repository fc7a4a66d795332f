import PaceApp
import PaceJSON
import PaceTestSupport
import Testing

/// Environment for account tests: test-only cheap password hashing and no rate limits, unless
/// a test overrides them.
let fastAccounts = ["PACE_TEST_FAST_HASHING": "1", "PACE_RATE_LIMITS": "off"]

/// A registered user as a test sees it.
struct TestAccount {
    let id: String
    let username: String
    let accessToken: String
    let refreshToken: String
}

extension TestApp {
    /// A server with `fastAccounts` plus `extra`.
    static func accounts(_ extra: [String: String] = [:]) throws -> TestApp {
        try TestApp(environment: fastAccounts.merging(extra) { $1 })
    }

    /// Registers `username` (expecting 201) and returns its tokens.
    func register(_ username: String, password: String = "password123", displayName: String? = nil) throws -> TestAccount {
        let name = displayName.map { #", "display_name": "\#($0)""# } ?? ""
        let answer = try call("POST", "/api/v1/auth/register",
                              json: #"{"username": "\#(username)", "password": "\#(password)"\#(name)}"#)
        try #require(answer.status == 201, "registering \(username): \(answer.body)")
        return try TestAccount(answer.body)
    }

    /// The `code` of an error answer.
    func errorCode(_ method: String, _ path: String, json: String? = nil, token: String? = nil) throws -> (Int, String?) {
        let answer = try call(method, path, json: json, token: token)
        return (answer.status, answer.body["error"]?["code"]?.stringValue)
    }
}

extension TestAccount {
    /// Reads an AuthResult body.
    init(_ body: JSONValue) throws {
        id = try #require(body["user"]?["id"]?.stringValue)
        username = try #require(body["user"]?["username"]?.stringValue)
        accessToken = try #require(body["access_token"]?.stringValue)
        refreshToken = try #require(body["refresh_token"]?.stringValue)
    }
}

/// One request to a server on `port` on a new connection: status, headers and JSON body.
func httpCall(port: UInt16, _ method: String, _ path: String, json: String? = nil,
              token: String? = nil) throws -> (status: Int, body: JSONValue) {
    let client = try TestClient(port: port)
    var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
    if let token { head += "Authorization: Bearer \(token)\r\n" }
    let body = Array((json ?? "").utf8)
    if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
    client.send(Array((head + "\r\n").utf8) + body)
    // A plain error, not a recorded issue: the crash test expects answers to be cut off.
    guard let response = client.readResponse() else { throw ServerProcess.Failure("no response to \(method) \(path)") }
    return (response.status, response.body.isEmpty ? .null : try JSONParser.parse(response.body))
}

/// The `details` of a validation error as "field: problem" lines.
func problems(_ body: JSONValue) -> [String] {
    (body["error"]?["details"]?.arrayValue ?? []).map {
        "\($0["field"]?.stringValue ?? "?"): \($0["problem"]?.stringValue ?? "?")"
    }
}

/// The fields a problem list names.
func fields(_ body: JSONValue) -> Set<String> {
    Set((body["error"]?["details"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
}

/// A JSON object of string fields, escaped properly (for values with quotes or controls).
func jsonText(_ fields: KeyValuePairs<String, String>) -> String {
    var writer = JSONWriter()
    writer.beginObject()
    for (key, value) in fields {
        writer.key(key)
        writer.string(value)
    }
    writer.endObject()
    return String(decoding: writer.bytes, as: UTF8.self)
}
