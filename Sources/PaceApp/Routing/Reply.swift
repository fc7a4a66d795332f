import PaceAddress
import PaceJSON
import PaceServer
import PaceSystem

/// Answers one service request, from any thread, and writes its access-log line.
package struct Reply: Sendable {
    let responder: HTTPResponder
    let method: String
    let path: String
    let requestID: String
    /// Formatted only when the line is written.
    let client: IPAddress
    let started: Int64
    /// Probe routes answer without a line: a scrape every few seconds would drown the log.
    private(set) var accessLogged = true

    /// This reply without its access-log line, for probe routes.
    package var unlogged: Reply {
        var copy = self
        copy.accessLogged = false
        return copy
    }

    init(_ request: HTTPRequest, _ responder: HTTPResponder) {
        self.responder = responder
        method = "\(request.method.name)"
        path = request.pathString
        requestID = request.idString
        client = request.client.address
        started = Clock.monotonicNanoseconds()
    }

    package func send(_ response: HTTPResponse) {
        responder.send(response)
        guard accessLogged, Log.enabled(.info) else { return }
        var line = LogLine(.info, "request")
        line.field("method", method)
        line.field("path", path)
        line.field("status", response.status)
        line.field("duration_us", Int((Clock.monotonicNanoseconds() - started) / 1000))
        line.field("request_id", requestID)
        line.field("client", client.description)
        line.emit()
    }

    /// 200 (or `status`) with the writer's JSON document.
    package func json(_ status: Int = 200, _ writer: JSONWriter) {
        send(HTTPResponse(status: status, contentType: "application/json", body: .bytes(writer.bytes)))
    }

    package func json(_ status: Int = 200, _ build: (inout JSONWriter) -> Void) {
        var writer = JSONWriter(capacity: 256)
        build(&writer)
        json(status, writer)
    }

    package func noContent() {
        send(HTTPResponse(status: 204))
    }

    package func error(_ error: APIError) {
        if error.status >= 500 { Log.error("request failed", ["path": path, "code": error.code, "request_id": requestID]) }
        send(error.response)
    }
}
