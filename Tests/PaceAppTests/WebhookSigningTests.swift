import PaceCrypto
import Testing
@testable import PaceApp

/// Webhook signatures (checked against a fixed HMAC-SHA256 vector) and the retry schedule.
struct WebhookSigningTests {
    @Test func signatureIsHMACOverTimestampDotBody() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"s3cret",b"1700000000.{\"a\":1}",hashlib.sha256).hexdigest())'
        let signature = WebhookSignature.sign(secret: "s3cret", timestamp: 1_700_000_000, body: Array("{\"a\":1}".utf8))
        #expect(signature == "v1=" + Self.vector)
    }

    @Test func verifyChecksBodyTimestampAndReplayWindow() {
        let body = Array("{\"a\":1}".utf8)
        let signature = WebhookSignature.sign(secret: "s3cret", timestamp: 1_000, body: body)
        #expect(WebhookSignature.verify(signature, secret: "s3cret", timestamp: 1_000, body: body, now: 1_100))
        #expect(!WebhookSignature.verify(signature, secret: "other", timestamp: 1_000, body: body, now: 1_000))
        #expect(!WebhookSignature.verify(signature, secret: "s3cret", timestamp: 1_001, body: body, now: 1_000))
        #expect(!WebhookSignature.verify(signature, secret: "s3cret", timestamp: 1_000, body: body + [32], now: 1_000))
        #expect(!WebhookSignature.verify(signature, secret: "s3cret", timestamp: 1_000, body: body, now: 1_301))
    }

    @Test func backoffDoublesUpToTheCapAndGivesUpAfterTheWindow() {
        let schedule = RetrySchedule.webhooks
        #expect((1...5).map { schedule.delay(afterAttempts: $0) } == [5_000, 10_000, 20_000, 40_000, 80_000])
        #expect(schedule.delay(afterAttempts: 12) == 3_600_000)
        #expect(schedule.delay(afterAttempts: 1_000) == 3_600_000)
        #expect(schedule.nextAttempt(afterAttempts: 1, createdAt: 0, now: 1_000) == 6_000)
        let day: Int64 = 24 * 3_600_000
        #expect(schedule.nextAttempt(afterAttempts: 30, createdAt: 0, now: day - 3_600_000) == day)
        #expect(schedule.nextAttempt(afterAttempts: 30, createdAt: 0, now: day - 3_599_999) == nil)
    }

    private static let vector = "1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
}
