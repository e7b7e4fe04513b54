/// A config that cannot be used: one line naming where (the reader's
/// origin), the key, and what was expected. The host turns it into its own
/// error; PluginKit into an ASSAY_ERROR_CONFIG status with this message.
public struct ConfigError: Error, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
