/// A failure of `assay audit`, as the one line the user sees: the file, the
/// line and the column where it applies, and what was expected.
public struct AuditError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
