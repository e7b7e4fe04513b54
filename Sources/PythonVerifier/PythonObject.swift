import Foundation
import CPython

/// One reference to a Python object, dropped (under the GIL) when this
/// goes away. The handle is opaque: every use goes through the C shim,
/// which takes the GIL for the call.
final class PythonObject {
    let handle: UnsafeMutableRawPointer

    init(_ handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    deinit {
        assay_python_release(handle)
    }

    /// getattr(self, name).
    func attribute(_ name: String) throws -> PythonObject {
        try PythonObject.checked { message in assay_python_attribute(handle, name, message, PythonObject.capacity) }
    }

    /// self(*arguments), every argument a str.
    func call(_ arguments: [String]) throws -> PythonObject {
        try PythonObject.checked { message in
            withCStrings(arguments) { pointers in
                assay_python_call_strings(handle, pointers, pointers.count, message, PythonObject.capacity)
            }
        }
    }

    /// Messages fit the ABI's error line (512 bytes) with room to spare.
    static let capacity = 1024

    /// The object `body` returns, or its message as a `PythonFailure`.
    static func checked(_ body: (UnsafeMutablePointer<CChar>) -> UnsafeMutableRawPointer?) throws -> PythonObject {
        let message = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { message.deallocate() }
        message[0] = 0
        guard let handle = body(message) else { throw PythonFailure(String(cString: message)) }
        return PythonObject(handle)
    }
}

/// A Python-side failure as one line: the bridge's own message, or the
/// exception as "Type: message".
struct PythonFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// `strings` as an array of C strings alive for the duration of `body`.
private func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
