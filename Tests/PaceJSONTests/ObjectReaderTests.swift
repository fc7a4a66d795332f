import Testing
@testable import PaceJSON

/// Typed reading of request objects, collecting every problem.
struct ObjectReaderTests {
    @Test func refusesNonObjects() throws {
        #expect(JSONObjectReader(try JSONParser.parse("[]")) == nil)
        #expect(JSONObjectReader(try JSONParser.parse("\"x\"")) == nil)
        #expect(JSONObjectReader(.null) == nil)
    }

    @Test func readsWellTypedFields() throws {
        let value = try JSONParser.parse(
            #"{"body":"hi","limit":50,"big":2e3,"pinned":true,"attachment_ids":["a","b"],"extra":{"x":1}}"#)
        var reader = try #require(JSONObjectReader(value))
        #expect(reader.string("body", required: true) == "hi")
        #expect(reader.int("limit") == 50)
        #expect(reader.int("big") == 2000)
        #expect(reader.bool("pinned") == true)
        #expect(reader.stringArray("attachment_ids") == ["a", "b"])
        #expect(reader["extra"]?["x"]?.int64Value == 1)
        #expect(reader.problems.isEmpty)
    }

    @Test func treatsAbsentAndNullAlikeForOptionalFields() throws {
        var reader = try #require(JSONObjectReader(try JSONParser.parse(#"{"client_id":null}"#)))
        #expect(reader.string("client_id") == nil)
        #expect(reader.string("reply_to_id") == nil)
        #expect(reader.stringArray("attachment_ids") == nil)
        #expect(reader.problems.isEmpty)
    }

    @Test func collectsEveryProblemInOrder() throws {
        let value = try JSONParser.parse(
            #"{"conversation_id":null,"body":5,"limit":2.5,"huge":1e30,"flag":"yes","ids":["a",1],"tags":"a"}"#)
        var reader = try #require(JSONObjectReader(value))
        #expect(reader.string("conversation_id", required: true) == nil)
        #expect(reader.string("body", required: true) == nil)
        #expect(reader.int("limit") == nil)
        #expect(reader.int("huge") == nil)
        #expect(reader.bool("flag") == nil)
        #expect(reader.stringArray("ids") == nil)
        #expect(reader.stringArray("tags") == nil)
        #expect(reader.int("missing", required: true) == nil)
        reader.addProblem("body", "must be 1 to 4000 characters")
        #expect(reader.problems == [
            FieldProblem(field: "conversation_id", problem: "is required"),
            FieldProblem(field: "body", problem: "must be a string"),
            FieldProblem(field: "limit", problem: "must be an integer"),
            FieldProblem(field: "huge", problem: "must be an integer"),
            FieldProblem(field: "flag", problem: "must be a boolean"),
            FieldProblem(field: "ids", problem: "must be an array of strings"),
            FieldProblem(field: "tags", problem: "must be an array of strings"),
            FieldProblem(field: "missing", problem: "is required"),
            FieldProblem(field: "body", problem: "must be 1 to 4000 characters"),
        ])
    }
}
