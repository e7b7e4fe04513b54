import ConfigKit
import PluginAPI

/// An error a plugin reports across the ABI: a status and a one-line message.
public struct PluginError: Error, CustomStringConvertible {
    public var status: assay_status
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = assay_status(status)
        self.message = message
    }

    public static func config(_ message: String) -> PluginError { PluginError(ASSAY_ERROR_CONFIG, message) }
    public static func argument(_ message: String) -> PluginError { PluginError(ASSAY_ERROR_ARGUMENT, message) }
    public static func notFound(_ message: String) -> PluginError { PluginError(ASSAY_ERROR_NOT_FOUND, message) }
    public static func unsupported(_ message: String) -> PluginError { PluginError(ASSAY_ERROR_UNSUPPORTED, message) }
    public static func failed(_ message: String) -> PluginError { PluginError(ASSAY_ERROR_FAILED, message) }

    public var description: String { message }
}

extension UnsafeMutablePointer where Pointee == assay_error {
    /// Writes `message` as one NUL-terminated line, truncated to the buffer.
    public func write(_ message: String) {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        withUnsafeMutableBytes(of: &pointee.message) { buffer in
            let bytes = Array(line.utf8.prefix(buffer.count - 1))
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
    }
}

/// Runs `body`, turning any thrown error into a status and a message in
/// `error`: nothing a plugin throws may unwind into C.
func reporting(_ error: UnsafeMutablePointer<assay_error>?, _ body: () throws -> Void) -> assay_status {
    do {
        try body()
        return assay_status(ASSAY_OK)
    } catch let failure as PluginError {
        error?.write(failure.message)
        return failure.status
    } catch let failure as ConfigError {
        error?.write(failure.message)
        return assay_status(ASSAY_ERROR_CONFIG)
    } catch let other {
        error?.write(String(describing: other))
        return assay_status(ASSAY_ERROR_FAILED)
    }
}

extension assay_error {
    /// The message as a Swift string.
    public var text: String {
        var copy = message
        return withUnsafeBytes(of: &copy) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
