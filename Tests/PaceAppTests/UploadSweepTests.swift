import PaceTestSupport
#if canImport(Glibc)
import Glibc
#endif
import PaceStore
import PaceSystem
import Testing

@Suite("Upload sweep")
struct UploadSweepTests {
    static let day: Int64 = 86_400_000

    @Test func unattachedUploadsGoAfterADayAttachedOnesAndAvatarsStay() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let orphan = try app.uploadID(patterned(1000, seed: 1), token: alice.token)
        let attached = try app.uploadID(patterned(1000, seed: 2), token: alice.token)
        let avatar = try app.uploadID(patterned(1000, seed: 3), token: alice.token)
        try app.insert([
            ("INSERT INTO conversations (id, type, title, owner_id, created_at) VALUES (1, 'group', 't', ?, 0)", [.integer(alice.id)]),
            ("INSERT INTO messages (id, seq, conversation_id, sender_id, created_at, version) VALUES (1, 1, 1, ?, 0, 1)", [.integer(alice.id)]),
            ("INSERT INTO message_attachments (message_id, upload_id, position) VALUES (1, ?, 0)", [.integer(Int64(attached)!)]),
            ("UPDATE users SET avatar_upload_id = ? WHERE id = ?", [.integer(Int64(avatar)!), .integer(alice.id)]),
        ])
        let sweeper = app.server.uploads.sweeper
        #expect(sweeper.sweep(now: Clock.wallMilliseconds() + Self.day - 60_000).uploads == 0)
        let report = sweeper.sweep(now: Clock.wallMilliseconds() + Self.day + 60_000)
        #expect(report.uploads == 1)
        #expect(report.contentFiles == 1)
        #expect(try app.request("GET", "/api/v1/uploads/\(orphan)", token: alice.token).status == 404)
        #expect(try app.request("GET", "/api/v1/uploads/\(attached)", token: alice.token).status == 200)
        #expect(try app.request("GET", "/api/v1/uploads/\(avatar)", token: alice.token).status == 200)
        #expect(app.contentFiles().count == 2)
    }

    @Test func aContentFileStaysWhileAnotherUploadUsesIt() throws {
        let app = try TestApp()
        let alice = try app.makeUser("alice")
        let bytes = patterned(5000)
        _ = try app.uploadID(bytes, token: alice.token)
        let kept = try app.uploadID(bytes, token: alice.token)
        try app.insert([("UPDATE users SET avatar_upload_id = ? WHERE id = ?", [.integer(Int64(kept)!), .integer(alice.id)])])
        let report = app.server.uploads.sweeper.sweep(now: Clock.wallMilliseconds() + 2 * Self.day)
        #expect(report.uploads == 1)
        #expect(report.contentFiles == 0)
        #expect(try app.request("GET", "/api/v1/uploads/\(kept)", token: alice.token).body == bytes)
    }

    @Test func strayTemporaryFilesGoAfterAnHour() throws {
        let app = try TestApp()
        let old = app.uploadsDirectory + "/tmp/old.part"
        let fresh = app.uploadsDirectory + "/tmp/fresh.part"
        for path in [old, fresh] { close(open(path, O_CREAT | O_WRONLY, 0o600)) }
        var times = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
        utimes(old, &times)
        #expect(app.server.uploads.sweeper.sweep(now: Clock.wallMilliseconds()).temporaryFiles == 1)
        #expect(app.temporaryFiles() == ["fresh.part"])
    }

    @Test func theSweepRunsByItselfOnItsInterval() throws {
        let app = try TestApp(environment: ["PACE_UPLOAD_SWEEP_INTERVAL_MS": "20", "PACE_UPLOAD_UNATTACHED_AGE_MS": "0"])
        let alice = try app.makeUser("alice")
        #expect(try app.upload([9, 9, 9], token: alice.token).status == 201)
        #expect(eventually { (try? app.uploadRows()) == 0 && app.contentFiles().isEmpty })
    }
}
