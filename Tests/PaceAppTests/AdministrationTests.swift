import PaceApp
import PaceJSON
import PaceStore
import PaceSystem
import PaceTestSupport
import Testing

/// Server roles, escalation guards, deactivation and the audit log, end to end.
@Suite("Administration: roles, deactivation, audit")
struct AdministrationTests {
    /// A server whose first registered user, `ann`, is its admin.
    private static func server() throws -> (TestApp, TestAccount) {
        let app = try TestApp.accounts(["PACE_FIRST_USER_ADMIN": "on"])
        return (app, try app.register("ann"))
    }

    private func role(_ app: TestApp, _ target: TestAccount, _ role: String, by caller: TestAccount) throws -> (Int, String?) {
        try app.errorCode("PUT", "/api/v1/admin/users/\(target.id)/role", json: #"{"role":"\#(role)"}"#,
                          token: caller.accessToken)
    }

    private func audit(_ app: TestApp, _ caller: TestAccount, _ query: String = "") throws -> (status: Int, body: JSONValue) {
        try app.call("GET", "/api/v1/admin/audit\(query)", token: caller.accessToken)
    }

    @Test func theFirstRegisteredUserIsAdminAndOnlyThem() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob")
        #expect(try app.call("GET", "/api/v1/me", token: ann.accessToken).body["role"]?.stringValue == "admin")
        #expect(try app.call("GET", "/api/v1/me", token: bob.accessToken).body["role"]?.stringValue == "user")
        let off = try TestApp.accounts()
        let first = try off.register("ann")
        #expect(try off.call("GET", "/api/v1/me", token: first.accessToken).body["role"]?.stringValue == "user")
    }

    @Test func theConsoleCreatesAnAdminWhoCanSignIn() throws {
        let binary = try ServerProcess.requiredBinary()
        let app = try TestApp.accounts()
        let postgres = app.server.context.configuration.postgres
        var environment = postgres.map { ["PACE_DATABASE_URL": $0.url] } ?? [:]
        let place = postgres == nil ? ["--data-dir", app.directory] : []
        #expect(try ServerProcess.run(binary, ["admin", "create", "root"] + place, environment: environment) == 1,
                "no PACE_ADMIN_PASSWORD")
        environment["PACE_ADMIN_PASSWORD"] = "correct horse battery"
        #expect(try ServerProcess.run(binary, ["admin", "create", "root"] + place, environment: environment) == 0)
        #expect(try ServerProcess.run(binary, ["admin", "create", "root"] + place, environment: environment) == 1, "taken")
        let login = try app.call("POST", "/api/v1/auth/login", json: #"{"username":"root","password":"correct horse battery"}"#)
        #expect(login.status == 200)
        #expect(login.body["user"]?["role"]?.stringValue == "admin")
        let root = try TestAccount(login.body)
        let entries = try audit(app, root).body["entries"]?.arrayValue ?? []
        #expect(entries.map { $0["action"]?.stringValue ?? "" } == ["user.create_admin"])
    }

    @Test func registrationModes() throws {
        let closed = try TestApp.accounts(["PACE_REGISTRATION": "closed"])
        #expect(try closed.errorCode("POST", "/api/v1/auth/register", json: #"{"username":"amy","password":"password123"}"#)
                == (403, "registration_closed"))
        #expect(throws: (any Error).self) { try TestApp.accounts(["PACE_REGISTRATION": "maybe"]) }

        let app = try TestApp.accounts(["PACE_REGISTRATION": "invite"])
        let admin = try OperatorAccounts.createAdmin(username: "root", password: "password123", environment: fastAccounts,
                                                     in: app.server.context.store, now: 0)
        try #require((try? admin.get()) != nil)
        let root = try TestAccount(app.call("POST", "/api/v1/auth/login", json: #"{"username":"root","password":"password123"}"#).body)
        func join(_ name: String, _ code: String?) throws -> (Int, String?) {
            let invite = code.map { #", "invite_code": "\#($0)""# } ?? ""
            return try app.errorCode("POST", "/api/v1/auth/register",
                                     json: #"{"username": "\#(name)", "password": "password123"\#(invite)}"#)
        }
        #expect(try join("amy", nil) == (403, "invite_required"))
        #expect(try join("amy", "nonsense") == (403, "invite_invalid"))
        let issued = try app.call("POST", "/api/v1/admin/invites", json: #"{"uses":2}"#, token: root.accessToken)
        #expect(issued.status == 201)
        let code = try #require(issued.body["code"]?.stringValue)
        #expect(try join("amy", code).0 == 201)
        #expect(try join("amy", code) == (409, "username_taken"), "a failed registration takes no use")
        #expect(try join("bea", code).0 == 201)
        #expect(try join("cid", code) == (403, "invite_used_up"))
        let amy = try TestAccount(app.call("POST", "/api/v1/auth/login", json: #"{"username":"amy","password":"password123"}"#).body)
        #expect(try app.errorCode("POST", "/api/v1/admin/invites", json: "{}", token: amy.accessToken) == (403, "admin_required"))
        #expect(try app.call("POST", "/api/v1/admin/invites", json: #"{"uses":0}"#, token: root.accessToken).status == 422)
        let short = try app.call("POST", "/api/v1/admin/invites", json: #"{"expires_in":60}"#, token: root.accessToken)
        let expiring = try #require(short.body["code"]?.stringValue)
        try app.server.context.store.writeNow { db throws(StoreError) in
            try db.run("UPDATE invites SET expires_at = 1")
        }
        #expect(try join("dee", expiring) == (403, "invite_expired"))
    }

    @Test func membersReportMessagesAndModeratorsCloseThem() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob"), cat = try app.register("cat"), dan = try app.register("dan")
        let chat = try app.direct(cat.user, dan.user)
        let message = try app.send(cat.user, chat, "buy cheap watches").id
        let path = "/api/v1/conversations/\(chat)/messages/\(message)/reports"
        #expect(try app.errorCode("POST", path, json: #"{"reason":"spam"}"#, token: bob.accessToken).0 == 404, "not a member")
        #expect(try app.errorCode("POST", path, json: #"{"reason":"  "}"#, token: dan.accessToken).0 == 422)
        let filed = try app.call("POST", path, json: #"{"reason":"spam"}"#, token: dan.accessToken)
        #expect(filed.status == 201)
        #expect(try app.errorCode("POST", path, json: #"{"reason":"spam"}"#, token: dan.accessToken) == (409, "already_reported"))
        #expect(try app.errorCode("GET", "/api/v1/admin/reports", token: bob.accessToken) == (403, "moderator_required"))
        _ = try role(app, bob, "moderator", by: ann)
        let open = try app.call("GET", "/api/v1/admin/reports", token: bob.accessToken)
        let reports = open.body["reports"]?.arrayValue ?? []
        #expect(reports.map { $0["reason"]?.stringValue ?? "" } == ["spam"])
        #expect(reports.first?["message"]?["body"]?.stringValue == "buy cheap watches")
        let close = "/api/v1/admin/reports/\(filed.body.id)/close"
        #expect(try app.errorCode("POST", close, json: #"{"status":"resolved"}"#, token: dan.accessToken) == (403, "moderator_required"))
        #expect(try app.call("POST", close, json: #"{"status":"resolved","note":"deleted"}"#, token: bob.accessToken).status == 200)
        #expect(try app.errorCode("POST", close, json: #"{"status":"dismissed"}"#, token: bob.accessToken) == (409, "report_closed"))
        #expect(try app.call("GET", "/api/v1/admin/reports", token: bob.accessToken).body["reports"]?.arrayValue?.isEmpty == true)
        let resolved = try app.call("GET", "/api/v1/admin/reports?status=resolved", token: bob.accessToken)
        #expect(resolved.body["reports"]?[0]?["resolved_by"]?.stringValue == bob.id)
        let actions = (try audit(app, ann).body["entries"]?.arrayValue ?? []).map { $0["action"]?.stringValue ?? "" }
        #expect(actions.contains("report.resolve") && actions.contains("report.list"))
        let metrics = String(decoding: try app.request("GET", "/metrics").body, as: UTF8.self)
        for line in ["pace_reports_filed_total 1", "pace_reports_closed_total 1", "pace_audit_entries_allowed_total 2",
                     "pace_audit_entries_denied_total 2"] {
            #expect(metrics.contains(line + "\n"), "\(line)")
        }
    }

    @Test func rolesChangeOnlyThroughAnAdminAndTheLastAdminStays() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob"), cat = try app.register("cat")
        #expect(try role(app, bob, "moderator", by: ann).0 == 200)
        #expect(try app.call("GET", "/api/v1/users/\(bob.id)", token: cat.accessToken).body["role"]?.stringValue == "moderator")
        #expect(try role(app, bob, "admin", by: bob) == (403, "admin_required"), "a moderator cannot make themself admin")
        #expect(try role(app, cat, "moderator", by: cat) == (403, "admin_required"))
        #expect(try role(app, ann, "user", by: ann) == (409, "last_admin"))
        #expect(try role(app, cat, "root", by: ann).0 == 422)
        #expect(try app.errorCode("PUT", "/api/v1/admin/users/999/role", json: #"{"role":"user"}"#,
                                  token: ann.accessToken).0 == 404)
        #expect(try role(app, cat, "admin", by: ann).0 == 200)
        #expect(try role(app, ann, "user", by: ann).0 == 200, "with a second admin the first may step down")
        // Ann's token is unchanged, but the store now says she is a plain user.
        #expect(try audit(app, ann).status == 403)
        #expect(try role(app, cat, "user", by: cat) == (409, "last_admin"))
        #expect(try app.call("GET", "/api/v1/me", token: ann.accessToken).body["role"]?.stringValue == "user")
    }

    @Test func everyPrivilegedAttemptIsAuditedAllowedOrNot() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob")
        _ = try role(app, bob, "moderator", by: ann)
        _ = try role(app, bob, "admin", by: bob)
        _ = try audit(app, bob)
        let answer = try audit(app, ann)
        #expect(answer.status == 200)
        let entries = answer.body["entries"]?.arrayValue ?? []
        let summary = entries.map { "\($0["actor_id"]?.stringValue ?? "") \($0["action"]?.stringValue ?? "") \($0["outcome"]?.stringValue ?? "")" }
        #expect(summary == ["\(bob.id) audit.read denied", "\(bob.id) user.role.set denied", "\(ann.id) user.role.set allowed"])
        #expect(entries.last?["target_id"]?.stringValue == bob.id)
        #expect(entries.last?["detail"]?.stringValue == "user -> moderator")
        #expect(entries.allSatisfy { !($0["client"]?.stringValue ?? "").isEmpty && $0["created_at"]?.stringValue != nil })
        #expect(answer.body["next_cursor"] == .null)
    }

    @Test func theAuditLogPagesWithCursorsNewestFirst() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob")
        for name in ["moderator", "user", "moderator", "user", "moderator"] { _ = try role(app, bob, name, by: ann) }
        var seen: [String] = [], cursor: String?
        repeat {
            let answer = try audit(app, ann, "?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            try #require(answer.status == 200)
            seen += (answer.body["entries"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            cursor = answer.body["next_cursor"]?.stringValue
        } while cursor != nil
        #expect(seen.count == 5)
        #expect(seen.compactMap { Int($0) } == seen.compactMap { Int($0) }.sorted(by: >))
        #expect(try audit(app, ann, "?limit=0").status == 422)
        #expect(try audit(app, ann, "?cursor=abc").status == 422)
    }

    @Test func theAuditLogRefusesUpdatesAndDeletes() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob")
        _ = try role(app, bob, "moderator", by: ann)
        let store = app.server.context.store
        #expect(throws: StoreError.self) {
            try store.writeNow { db throws(StoreError) in try db.run("UPDATE audit_log SET outcome = 'denied'") }
        }
        #expect(throws: StoreError.self) {
            try store.writeNow { db throws(StoreError) in try db.run("DELETE FROM audit_log") }
        }
        #expect(try audit(app, ann).body["entries"]?.arrayValue?.count == 1)
    }

    @Test func aModeratorDeletesAnyMessageAndAUserCannot() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob"), cat = try app.register("cat"), dan = try app.register("dan")
        let chat = try app.direct(cat.user, dan.user)
        let message = try app.send(cat.user, chat, "hello").id
        let path = "/api/v1/conversations/\(chat)/messages/\(message)"
        #expect(try app.call("DELETE", path, token: bob.accessToken).status == 404, "not a member, not a moderator")
        _ = try role(app, bob, "moderator", by: ann)
        #expect(try app.call("DELETE", path, token: bob.accessToken).status == 204)
    }

    @Test func deactivationRevokesEverythingAndReactivationRestoresLogin() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob")
        let socket = try ChatClient(app, token: bob.accessToken)
        _ = socket.next("hello")
        let started = Clock.monotonicNanoseconds()
        let answer = try app.call("POST", "/api/v1/admin/users/\(bob.id)/deactivate", token: ann.accessToken)
        #expect(answer.status == 200)
        #expect(socket.waitForClose() == 4003)
        #expect(Clock.monotonicNanoseconds() - started < 1_000_000_000)
        #expect(try app.errorCode("GET", "/api/v1/me", token: bob.accessToken).0 == 401)
        #expect(try app.errorCode("POST", "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(bob.refreshToken)"}"#).0 == 401)
        let login = #"{"username":"bob","password":"password123"}"#
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: login) == (403, "account_deactivated"))
        #expect(try app.errorCode("POST", "/api/v1/auth/login", json: #"{"username":"bob","password":"wrong-password"}"#)
                == (401, "invalid_credentials"), "the deactivation shows only to the right password")
        #expect(try app.call("POST", "/api/v1/admin/users/\(bob.id)/reactivate", token: ann.accessToken).status == 200)
        #expect(try app.call("POST", "/api/v1/auth/login", json: login).status == 200)
    }

    @Test func onlyAdminsDeactivateAndAdminsAreDemotedFirst() throws {
        let (app, ann) = try Self.server()
        let bob = try app.register("bob")
        _ = try role(app, bob, "moderator", by: ann)
        #expect(try app.errorCode("POST", "/api/v1/admin/users/\(ann.id)/deactivate", token: bob.accessToken)
                == (403, "admin_required"))
        #expect(try app.errorCode("POST", "/api/v1/admin/users/\(ann.id)/deactivate", token: ann.accessToken)
                == (409, "target_is_admin"))
        #expect(try app.errorCode("POST", "/api/v1/admin/users/\(ann.id)/reactivate", token: bob.accessToken)
                == (403, "admin_required"))
        #expect(try app.call("GET", "/api/v1/me", token: ann.accessToken).status == 200)
    }
}

extension TestAccount {
    /// The same account in the shape the chat helpers take.
    var user: TestUser { TestUser(id: Int64(id) ?? 0, token: accessToken) }
}

extension JSONValue {
    var id: String { self["id"]?.stringValue ?? "" }
}
