#if canImport(Glibc)
import Glibc
#endif
import PaceJSON
import Testing

@Suite("Operations endpoints")
struct OperationsTests {
    @Test func healthReadinessMetricsAndSpec() throws {
        let app = try TestApp()
        let health = try app.request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.text == "ok\n")
        let ready = try app.request("GET", "/readyz")
        #expect(ready.status == 200)
        let metrics = try app.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("pace_http_responses_total{class=\"2xx\"}"))
        #expect(metrics.text.contains("pace_http_request_duration_seconds_bucket{le=\"+Inf\"}"))
        let spec = try app.request("GET", "/openapi.yaml")
        #expect(spec.status == 200)
        #expect(spec.text.hasPrefix("openapi: 3.1"))
    }

    @Test func unknownRoutesAndMethodsAnswerInTheErrorShape() throws {
        let app = try TestApp()
        let missing = try app.call("GET", "/api/v1/nothing-here")
        #expect(missing.status == 404)
        #expect(missing.body["error"]?["code"]?.stringValue == "not_found")
        let wrongMethod = try app.request("DELETE", "/healthz")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("allow") == "GET, HEAD")
    }

    @Test func headOnAGetRouteHasNoBody() throws {
        let app = try TestApp()
        let head = try app.request("HEAD", "/healthz")
        #expect(head.status == 200)
        #expect(head.header("content-length") == "3")
        #expect(head.body.isEmpty)
    }

    @Test func theGeneratedSigningKeyIsPrivateToTheServer() throws {
        let app = try TestApp()
        var info = stat()
        #expect(stat(app.directory + "/jwt.secret", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 64)
    }
}
