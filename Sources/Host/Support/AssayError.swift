import ConfigKit

/// Everything that can stop a run, each as one line naming the file or
/// field at fault and what was expected.
public struct AssayError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Runs `body`, which reads a config through ConfigReader, and turns the
/// readers' ConfigError into the host's one-line AssayError.
public func readingConfig<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as ConfigError {
        throw AssayError(error.message)
    }
}
