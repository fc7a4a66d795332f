import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import Testing

@Suite("Refresh token sweep")
struct RefreshTokenSweepTests {
    static let day: Int64 = 86_400_000
    /// When tokens issued now have been expired (30 days) for a week.
    static var purgeTime: Int64 { Clock.wallMilliseconds() + 37 * day }

    private func tokenCount(_ app: TestApp) throws -> Int64 {
        try app.server.context.store.readNow { database throws(StoreError) in
            try database.queryFirst("SELECT count(*) FROM refresh_tokens") { $0.int64(0) } ?? -1
        }
    }

    @Test func tokensGoAWeekAfterTheyExpireAndNotBefore() throws {
        let app = try TestApp.accounts()
        let first = try app.register("nora")
        let rotated = try app.call("POST", "/api/v1/auth/refresh", json: jsonText(["refresh_token": first.refreshToken]))
        let second = try TestAccount(rotated.body)
        #expect(try tokenCount(app) == 2)
        let sweeper = app.server.refreshTokenSweeper
        #expect(sweeper.sweep(now: Self.purgeTime - 60_000) == 0)
        #expect(try app.call("POST", "/api/v1/auth/refresh", json: jsonText(["refresh_token": second.refreshToken])).status == 200)
        #expect(try tokenCount(app) == 3)
        #expect(sweeper.sweep(now: Self.purgeTime + 60_000) == 3)
        #expect(try tokenCount(app) == 0)
    }

    @Test func aLargeBacklogGoesInBatchesAndLiveTokensStay() throws {
        let app = try TestApp.accounts()
        let live = try app.register("otto")
        let user = try #require(Int64(live.id))
        // Random bytes are spelled differently by the two engines.
        let backlog = TestDatabase.isPostgres ? """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
            INSERT INTO refresh_tokens (token_hash, user_id, family_id, created_at, expires_at)
            SELECT sha256(int8send(i::bigint)), ?, substring(sha256(int8send(i::bigint)) FROM 1 FOR 16), 0, 1000 FROM n
            """ : """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
            INSERT INTO refresh_tokens (token_hash, user_id, family_id, created_at, expires_at)
            SELECT randomblob(32), ?, randomblob(16), 0, 1000 FROM n
            """
        try app.insert([(backlog, [.integer(user)])])
        #expect(try tokenCount(app) == 2501)
        #expect(app.server.refreshTokenSweeper.sweep(now: Clock.wallMilliseconds()) == 2500)
        #expect(try tokenCount(app) == 1)
        #expect(try app.call("POST", "/api/v1/auth/refresh", json: jsonText(["refresh_token": live.refreshToken])).status == 200)
    }
}
