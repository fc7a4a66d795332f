import PaceCrypto
import PaceJSON
import PaceServer
import Testing
@testable import PaceApp

/// The parts of a push that need no server: the VAPID token, the request's headers and body,
/// how answers map to outcomes, and the settings.
struct PushMessageTests {
    private static func decode(_ segment: Substring) throws -> [UInt8] {
        try #require(Base64.url.decode(segment))
    }

    @Test func vapidTokenIsAnES256JWTForTheOriginAndItsKey() throws {
        let key = P256PrivateKey()
        var vapid = VAPIDToken(key: key, subject: "mailto:ops@example.com")
        let header = vapid.authorization(origin: "https://push.example.net", now: 1_700_000_000)
        #expect(header.hasPrefix("vapid t="))
        let parts = header.dropFirst("vapid t=".count).split(separator: ",", maxSplits: 1)
        #expect(parts.count == 2 && parts[1] == " k=" + Base64.url.encode(key.publicKey))
        let segments = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        #expect(segments.count == 3)
        let jose = try JSONParser.parse(try Self.decode(segments[0]))
        #expect(jose["alg"]?.stringValue == "ES256" && jose["typ"]?.stringValue == "JWT")
        let claims = try JSONParser.parse(try Self.decode(segments[1]))
        #expect(claims["aud"]?.stringValue == "https://push.example.net")
        #expect(claims["sub"]?.stringValue == "mailto:ops@example.com")
        #expect(claims["exp"]?.int64Value == Int64(1_700_043_200))
        let publicKey = try #require(P256PublicKey(uncompressed: key.publicKey))
        let signature = try Self.decode(segments[2])
        #expect(publicKey.isValidES256(signature: signature, of: Array("\(segments[0]).\(segments[1])".utf8)))
        #expect(!publicKey.isValidES256(signature: signature, of: Array("\(segments[0]).e30".utf8)))
        // Reused within its life, renewed an hour before it ends, separate per origin.
        #expect(vapid.authorization(origin: "https://push.example.net", now: 1_700_000_000 + 3600) == header)
        #expect(vapid.authorization(origin: "https://push.example.net", now: 1_700_000_000 + 11 * 3600 + 1) != header)
        #expect(vapid.authorization(origin: "https://other.example", now: 1_700_000_000) != header)
    }

    private static func push(endpoint: String = "https://push.example.net/send/abc?x=1", collapsed: Int64 = 3,
                             receiver: P256PrivateKey = P256PrivateKey()) -> DuePush {
        DuePush(id: 1, subscriptionID: 2, messageID: 3, payload: #"{"type":"message","preview":"hi"}"#, urgency: "high",
                collapsed: collapsed, attempts: 0, createdAt: 0, conversationID: 42, endpoint: endpoint,
                p256dh: Base64.url.encode(receiver.publicKey), auth: Base64.url.encode([UInt8](repeating: 7, count: 16)))
    }

    @Test func requestCarriesRFC8030HeadersAndAnAES128GCMBody() throws {
        var vapid = VAPIDToken(key: P256PrivateKey(), subject: "mailto:ops@example.com")
        let due = Self.push()
        let request = try PushRequest.make(due, vapid: &vapid, ttlSeconds: 600, timeoutMilliseconds: 5_000,
                                           nowSeconds: 1_700_000_000).get()
        let headers = Dictionary(uniqueKeysWithValues: request.headers.map { ($0.name, $0.value) })
        #expect(headers["TTL"] == "600")
        #expect(headers["Urgency"] == "high")
        #expect(headers["Topic"] == "conversation-42")
        #expect(headers["Content-Encoding"] == "aes128gcm")
        #expect(headers["Authorization"]?.hasPrefix("vapid t=") == true)
        #expect(request.url.origin == "https://push.example.net" && request.url.target == "/send/abc?x=1")
        let plaintext = PushRequest.plaintext(due)
        #expect(String(decoding: plaintext, as: UTF8.self) == #"{"count":3,"type":"message","preview":"hi"}"#)
        #expect(request.body.count == WebPushEncryption.headerLength + plaintext.count + 1 + AES128GCM.tagLength)
        #expect(request.timeoutMilliseconds == 5_000)
    }

    @Test func topicsFitRFC8030AndBadSubscriptionsAreRefused() {
        let topic = PushRequest.topic(conversationID: .max)
        #expect(topic.utf8.count <= 32)
        #expect(topic.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || ($0 >= 48 && $0 <= 57)
            || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) })
        var vapid = VAPIDToken(key: P256PrivateKey(), subject: "mailto:a@b.c")
        var broken = Self.push()
        broken.p256dh = "AAAA"
        guard case .failure(.invalidKeys) = PushRequest.make(broken, vapid: &vapid, ttlSeconds: 1, timeoutMilliseconds: 1,
                                                             nowSeconds: 0) else {
            Issue.record("bad keys sent")
            return
        }
        guard case .failure(.invalidEndpoint) = PushRequest.make(Self.push(endpoint: "ftp://x/"), vapid: &vapid, ttlSeconds: 1,
                                                                 timeoutMilliseconds: 1, nowSeconds: 0) else {
            Issue.record("bad endpoint sent")
            return
        }
    }

    @Test func answersMapToOutcomes() {
        let statuses: [(Int, PushStatistics.Outcome)] = [
            (201, .sent), (200, .sent), (404, .gone), (410, .gone), (429, .retried), (500, .retried), (503, .retried),
            (400, .rejected), (403, .rejected), (413, .rejected), (301, .rejected),
        ]
        for (status, outcome) in statuses { #expect(PushDispatcher.outcome(status: status) == outcome) }
        let failures: [(HTTPClientError, PushStatistics.Outcome)] = [
            (.timedOut, .retried), (.connectFailed, .retried), (.resolution, .retried), (.invalidResponse, .retried),
            (.forbiddenAddress, .abandoned), (.schemeNotAllowed, .abandoned), (.invalidRequest, .abandoned),
        ]
        for (failure, outcome) in failures { #expect(PushDispatcher.outcome(failure: failure) == outcome) }
    }

    @Test func retryAfterInSecondsOrAsADateIsHonouredAndCapped() {
        let now: Int64 = 1_445_412_480_000  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(PushRequest.retryAfter("30", now: now) == 30_000)
        #expect(PushRequest.retryAfter("999999", now: now) == 86_400_000)
        #expect(PushRequest.retryAfter("-1", now: now) == nil)
        #expect(PushRequest.retryAfter("Wed, 21 Oct 2015 07:28:45 GMT", now: now) == 45_000)
        #expect(PushRequest.retryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == 0)
        #expect(PushRequest.retryAfter("Thu, 22 Oct 2015 09:28:00 GMT", now: now) == 86_400_000)
        #expect(PushRequest.retryAfter("Wed, 21 Foo 2015 07:28:45 GMT", now: now) == nil)
        #expect(PushRequest.retryAfter("Wednesday, 21-Oct-15 07:28:45 GMT", now: now) == nil)
        #expect(PushRequest.retryAfter("soon", now: now) == nil)
        #expect(PushRequest.retryAfter(nil, now: now) == nil)
    }

    @Test func settingsAreReadAndCheckedFromTheEnvironment() throws {
        let configuration = try PushConfiguration(environment: ["PACE_VAPID_SUBJECT": "https://chat.example.com",
                                                                "PACE_PUSH_PREVIEW": "none", "PACE_PUSH_TTL_SECONDS": "120"])
        #expect(configuration.subject == "https://chat.example.com" && configuration.preview == .none)
        #expect(configuration.ttlSeconds == 120 && configuration.retry.windowMilliseconds == 120_000)
        for bad in [["PACE_VAPID_SUBJECT": "ops@example.com"], ["PACE_VAPID_SUBJECT": "mailto:\"x\""],
                    ["PACE_PUSH_PREVIEW": "some"], ["PACE_PUSH_DELAY_MS": "-1"], ["PACE_PUSH_TTL_SECONDS": "99999999"]] {
            #expect(throws: ConfigurationError.self) { try PushConfiguration(environment: bad) }
        }
    }

    @Test func endpointsMustBeHTTPSAndNotPrivateUnlessAllowed() {
        #expect(PushSubscriptionRoutes.endpointProblem("https://fcm.googleapis.com/fcm/send/abc", allowPrivate: false) == nil)
        #expect(PushSubscriptionRoutes.endpointProblem("http://push.example.net/x", allowPrivate: false) != nil)
        #expect(PushSubscriptionRoutes.endpointProblem("https://10.1.2.3/x", allowPrivate: false) != nil)
        #expect(PushSubscriptionRoutes.endpointProblem("https://169.254.169.254/x", allowPrivate: false) != nil)
        #expect(PushSubscriptionRoutes.endpointProblem("https://[::1]/x", allowPrivate: false) != nil)
        #expect(PushSubscriptionRoutes.endpointProblem("http://127.0.0.1:8080/x", allowPrivate: true) == nil)
        #expect(PushSubscriptionRoutes.endpointProblem("javascript:alert(1)", allowPrivate: true) != nil)
    }

    @Test func onlyTextMessagesHaveAPreviewAndOnlyWhenConfigured() throws {
        let full = PushExpansion(configuration: PushConfiguration(), isConnected: { _ in false })
        var none = PushConfiguration()
        none.preview = .none
        let hidden = PushExpansion(configuration: none, isConnected: { _ in false })
        func preview(_ expansion: PushExpansion, kind: String, body: String) throws -> JSONValue? {
            let message = PushMessage(conversationID: 7, senderID: 3, kind: kind, body: body, deleted: false,
                                      senderName: "ann", senderDisplayName: "Ann", direct: false, title: nil)
            return try JSONParser.parse(Array(expansion.payload(message, messageID: 9, mentioned: false).utf8))["preview"]
        }
        #expect(try preview(full, kind: "text", body: "hello")?.stringValue == "hello")
        #expect(try preview(hidden, kind: "text", body: "hello") == .null)
        #expect(try preview(full, kind: "encrypted", body: "") == .null)
        #expect(try preview(full, kind: "encrypted", body: "not for the server") == .null)
        #expect(try preview(full, kind: "missed_call", body: "") == .null)
    }

    @Test func previewsAreCutAtCharactersNotBytes() {
        #expect(PushExpansion.truncated("short", to: 10) == "short")
        #expect(PushExpansion.truncated("👩‍👩‍👧‍👦abc", to: 2) == "👩‍👩‍👧‍👦a…")
        #expect(PushExpansion.truncated(String(repeating: "é", count: 200), to: 120).count == 121)
    }
}
