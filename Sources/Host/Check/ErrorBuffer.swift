import PluginAPI

/// An `assay_error` filled with a marker byte before a call, so that after
/// it the check can tell what the plugin wrote: whether a NUL ends the
/// message within the buffer, and whether a successful call touched it.
struct ErrorBuffer {
    static let marker: UInt8 = 0xA5
    var error = assay_error()

    init() {
        withUnsafeMutableBytes(of: &error) { bytes in
            for index in bytes.indices { bytes[index] = Self.marker }
        }
    }

    var bytes: [UInt8] {
        withUnsafeBytes(of: error) { Array($0) }
    }

    var untouched: Bool { bytes.allSatisfy { $0 == Self.marker } }

    /// The bytes before the first NUL, or nil when there is none.
    var message: [UInt8]? {
        let bytes = self.bytes
        return bytes.firstIndex(of: 0).map { Array(bytes[..<$0]) }
    }

    /// The message (or, without a NUL, the whole buffer) as printable text:
    /// control characters escaped, at most 160 characters.
    var shown: String {
        let bytes = message ?? self.bytes
        let text = String(decoding: bytes, as: UTF8.self)
        var shown = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                shown += scalar == "\n" ? "\\n" : scalar == "\r" ? "\\r" : scalar == "\t" ? "\\t"
                    : "\\x" + String(scalar.value, radix: 16)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown.count > 160 ? shown.prefix(157) + "..." : shown
    }
}

extension RuleBook {
    /// Makes one call into the plugin with a marked error buffer, checks
    /// what it did with the buffer against the error rules, and returns its
    /// status with the message as printable text.
    @discardableResult
    func call(_ what: String, _ body: (UnsafeMutablePointer<assay_error>) -> assay_status) -> (status: assay_status, message: String) {
        var buffer = ErrorBuffer()
        let status = body(&buffer.error)
        if status == ASSAY_OK {
            check(.errorUntouchedOnSuccess, buffer.untouched,
                  "\(what) returned ASSAY_OK and wrote \"\(buffer.shown)\" into the error buffer (expected it left alone)")
            return (status, "")
        }
        let shown = buffer.shown
        guard let message = buffer.message else {
            fail(.errorNulTerminated, "\(what) failed with a message of \(ASSAY_ERROR_CAPACITY) bytes and no NUL: \"\(shown)\" (expected a NUL within the buffer)")
            return (status, shown)
        }
        check(.errorNulTerminated, true, "")
        check(.errorNotEmpty, !message.isEmpty, "\(what) failed with status \(statusName(status)) and an empty message (expected one line saying what was wrong)")
        let control = message.firstIndex { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }
        check(.errorOneLine, control == nil,
              "\(what) failed with \"\(shown)\", which holds byte 0x\(String(message[control ?? 0], radix: 16)) (expected one line without control characters)")
        return (status, shown)
    }
}

/// The header's name of a status, for messages.
func statusName(_ status: assay_status) -> String {
    switch Int(status) {
    case ASSAY_OK: return "ASSAY_OK"
    case ASSAY_ERROR_CONFIG: return "ASSAY_ERROR_CONFIG"
    case ASSAY_ERROR_ARGUMENT: return "ASSAY_ERROR_ARGUMENT"
    case ASSAY_ERROR_UNSUPPORTED: return "ASSAY_ERROR_UNSUPPORTED"
    case ASSAY_ERROR_NOT_FOUND: return "ASSAY_ERROR_NOT_FOUND"
    case ASSAY_ERROR_FAILED: return "ASSAY_ERROR_FAILED"
    default: return "\(status) (not a status of the header)"
    }
}
