/// One reason a request field was refused, reported to clients in `details` of a
/// `validation_failed` error as `{"field": ..., "problem": ...}`.
package struct FieldProblem: Sendable, Equatable {
    package var field: String
    package var problem: String

    package init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }
}
