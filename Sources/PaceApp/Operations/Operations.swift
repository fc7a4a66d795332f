import PaceServer

/// The operations endpoints: liveness, readiness, metrics and the API description. None is
/// access-logged (README, "Configuration"): `/readyz` answers through a service reply, unlogged.
enum Operations {
    static func register(in router: inout Router, metrics: @escaping @Sendable () -> String,
                         ready: @escaping @Sendable (@escaping @Sendable (Bool) -> Void) -> Void) {
        router.add(.get, "/healthz", .inline { _ in
            HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: .text("ok\n"))
        })
        router.add(.get, "/readyz", .service { _, reply in
            let reply = reply.unlogged
            ready { isReady in
                reply.send(isReady
                    ? HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: .text("ready\n"))
                    : APIError.unavailable.response)
            }
        })
        router.add(.get, "/metrics", .inline { _ in
            HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                         body: .bytes(Array(metrics().utf8)))
        })
        let spec = Array(embeddedOpenAPI.utf8)
        router.add(.get, "/openapi.yaml", .inline { _ in
            HTTPResponse(status: 200, contentType: "application/yaml; charset=utf-8", body: .bytes(spec))
        })
    }
}
