/// Everything that can stop a run, each as one line naming the file or
/// field at fault and what was expected.
public struct AssayError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
