@testable import PaceApp
import Testing

@Suite("Call frames: parsing and limits")
struct CallFrameParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let frame: String
        /// The error code, or nil when the frame parses.
        let code: String?
        var testDescription: String { String(frame.prefix(60)) }
    }

    static let cases: [Case] = [
        Case(frame: #"{"type":"call.invite","conversation_id":"3","media":"audio","sdp":"v=0"}"#, code: nil),
        Case(frame: #"{"type":"call.invite","call_id":"c1","to_session_id":"7","sdp":"v=0"}"#, code: nil),
        Case(frame: #"{"type":"call.invite","call_id":"c1","sdp":"v=0"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.invite","conversation_id":"3","media":"holo","sdp":"v=0"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.invite","conversation_id":"3","media":"audio"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.invite","conversation_id":"3","media":"audio","sdp":""}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.invite","conversation_id":"3","media":"audio","sdp":"\#(String(repeating: "s", count: 65))"}"#,
             code: "payload_too_large"),
        Case(frame: #"{"type":"call.ringing","call_id":"c1"}"#, code: nil),
        Case(frame: #"{"type":"call.ringing"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.ringing","call_id":"\#(String(repeating: "c", count: 65))"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.answer","call_id":"c1","sdp":"v=0","to_session_id":"9"}"#, code: nil),
        Case(frame: #"{"type":"call.answer","call_id":"c1","sdp":"v=0","to_session_id":"x"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.candidate","call_id":"c1","candidate":{"candidate":"a","sdpMLineIndex":0}}"#, code: nil),
        Case(frame: #"{"type":"call.candidate","call_id":"c1"}"#, code: "validation_failed"),
        Case(frame: #"{"type":"call.candidate","call_id":"c1","candidate":"\#(String(repeating: "c", count: 60))"}"#,
             code: "payload_too_large"),
        Case(frame: #"{"type":"call.reject","call_id":"c1"}"#, code: nil),
        Case(frame: #"{"type":"call.hangup","call_id":"c1"}"#, code: nil),
        Case(frame: #"{"type":"call.transfer","call_id":"c1"}"#, code: "unknown_type"),
    ]

    @Test(arguments: cases) func framesParseOrAreRefusedWithTheirCode(_ test: Case) {
        var limits = CallLimits()
        limits.sdpBytes = 64
        limits.candidateBytes = 48
        switch ClientFrame.parse(Array(test.frame.utf8), calls: limits) {
        case .success(let frame):
            #expect(test.code == nil)
            guard case .call = frame.command else {
                Issue.record("not a call command")
                return
            }
        case .failure(let problem):
            #expect(problem.code == test.code)
        }
    }
}
