import PaceApp
import Synchronization
import Testing

@Suite("Rate limits")
struct RateLimitTests {
    /// A hand-moved clock for the limiter.
    final class FakeClock: Sendable {
        let milliseconds = Atomic<Int64>(1_000_000)
        func advance(seconds: Int64) { milliseconds.add(seconds * 1000, ordering: .relaxed) }
        var read: @Sendable () -> Int64 { { self.milliseconds.load(ordering: .relaxed) } }
    }

    @Test func limitsParseFromCountSlashSeconds() {
        #expect(RateLimit(parsing: "20/60") == RateLimit(count: 20, seconds: 60))
        for text in ["", "20", "20/", "/60", "0/60", "20/0", "-1/60", "a/b", "20/60/1", "20 / 60"] {
            #expect(RateLimit(parsing: text) == nil, "\(text)")
        }
    }

    @Test func aBucketEmptiesAndRefillsEvenly() {
        let clock = FakeClock()
        let limiter = RateLimiter(RateLimit(count: 3, seconds: 60), clock: clock.read)
        #expect(limiter.acquire("a") == nil)
        #expect(limiter.acquire("a") == nil)
        #expect(limiter.acquire("a") == nil)
        #expect(limiter.acquire("a") == 20)
        #expect(limiter.acquire("b") == nil, "keys are independent")
        clock.advance(seconds: 10)
        #expect(limiter.acquire("a") == 10)
        clock.advance(seconds: 10)
        #expect(limiter.acquire("a") == nil)
        #expect(limiter.acquire("a") == 20)
    }

    @Test func memoryStaysBoundedUnderAFloodOfKeys() {
        let clock = FakeClock()
        let limiter = RateLimiter(RateLimit(count: 5, seconds: 60), maxKeys: 100, clock: clock.read)
        for index in 0..<1000 { _ = limiter.acquire("client-\(index)") }
        #expect(limiter.trackedKeys <= 100)
        #expect(limiter.acquire("client-999") == nil, "the most recent keys are kept")
        clock.advance(seconds: 120)
        for index in 0..<1000 { _ = limiter.acquire("later-\(index)") }
        #expect(limiter.trackedKeys <= 100)
    }

    @Test func loginIsLimitedPerClientAddress() throws {
        let app = try TestApp.accounts(["PACE_RATE_LIMITS": "on", "PACE_RATE_LOGIN_PER_IP": "2/60"])
        let login = #"{"username": "someone", "password": "password123"}"#
        #expect(try app.call("POST", "/api/v1/auth/login", json: login).status == 401)
        #expect(try app.call("POST", "/login", json: #"{"username": "other", "password": "password123"}"#).status == 401)
        let limited = try app.request("POST", "/api/v1/auth/login", body: Array(login.utf8))
        #expect(limited.status == 429)
        #expect(limited.text.contains(#""code":"rate_limited""#))
        #expect(limited.header("retry-after") == "30")
    }

    @Test func loginIsLimitedPerUsername() throws {
        let app = try TestApp.accounts(["PACE_RATE_LIMITS": "on", "PACE_RATE_LOGIN_PER_USER": "2/60"])
        for _ in 0..<2 {
            #expect(try app.errorCode("POST", "/api/v1/auth/login", json: #"{"username": "target", "password": "guess-guess"}"#).0 == 401)
        }
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: #"{"username": "TARGET", "password": "guess-guess"}"#)
            == (429, "rate_limited"))
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: #"{"username": "bystander", "password": "guess-guess"}"#).0 == 401)
    }

    @Test func registrationIsLimitedPerClientAddress() throws {
        let app = try TestApp.accounts(["PACE_RATE_LIMITS": "on", "PACE_RATE_REGISTER_PER_IP": "1/3600"])
        _ = try app.register("first")
        let limited = try app.request("POST", "/api/v1/auth/register",
                                      body: Array(#"{"username": "second", "password": "password123"}"#.utf8))
        #expect(limited.status == 429)
        #expect(limited.header("retry-after") == "3600")
    }

    @Test func limitsOffDisablesEveryLimit() throws {
        let app = try TestApp.accounts(["PACE_RATE_LIMITS": "off", "PACE_RATE_LOGIN_PER_IP": "1/60",
                                        "PACE_RATE_LOGIN_PER_USER": "1/60", "PACE_RATE_REGISTER_PER_IP": "1/60"])
        _ = try app.register("one")
        _ = try app.register("two")
        for _ in 0..<5 {
            #expect(try app.call("POST", "/api/v1/auth/login", json: #"{"username": "one", "password": "password123"}"#).status == 200)
        }
    }

    @Test func malformedLimitsStopTheServerFromStarting() {
        #expect(throws: ConfigurationError.self) {
            _ = try TestApp.accounts(["PACE_RATE_LIMITS": "on", "PACE_RATE_LOGIN_PER_IP": "lots"])
        }
    }
}
