import AssayHost
import PluginAPI

/// A failure on its way out through the C API: the status a caller sees
/// and the one-line message that goes into its `assay_host_error`.
struct EmbedFailure: Error {
    var status: assay_host_status
    var message: String

    init(_ status: Int, _ message: String) {
        self.status = assay_host_status(status)
        self.message = message
    }

    static func argument(_ message: String) -> EmbedFailure { EmbedFailure(ASSAY_HOST_ERROR_ARGUMENT, message) }
}

/// Runs `body` and turns whatever it throws into a status and a message, so
/// that no Swift error ever reaches a C caller. `fallback` is the status of
/// errors that are not already an `EmbedFailure`.
func reporting(_ errorOut: UnsafeMutablePointer<assay_host_error>?, fallback: Int,
               _ body: () throws -> Void) -> assay_host_status {
    do {
        try body()
        return assay_host_status(ASSAY_HOST_OK)
    } catch let failure as EmbedFailure {
        write(failure.message, to: errorOut)
        return failure.status
    } catch {
        write(String(describing: error), to: errorOut)
        return assay_host_status(fallback)
    }
}

/// Copies `message` into the caller's error as one NUL-terminated line,
/// truncated to fit without cutting a UTF-8 character in two. A NULL
/// error means the caller does not want the text.
func write(_ message: String, to error: UnsafeMutablePointer<assay_host_error>?) {
    guard let error else { return }
    let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    var bytes = Array(line.utf8)
    let capacity = Int(ASSAY_HOST_ERROR_CAPACITY)
    if bytes.count > capacity - 1 {
        var end = capacity - 1
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 } // back to a character start
        bytes.removeSubrange(end...)
    }
    withUnsafeMutableBytes(of: &error.pointee.message) { buffer in
        buffer.copyBytes(from: bytes)
        buffer[bytes.count] = 0
    }
}
