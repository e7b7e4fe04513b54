import CFFI
import Foundation
import PluginAPI
import PluginKit

/// A verifier that is a plain C function in some shared library, named by
/// the library's path, its symbol and its C prototype. The call is built
/// with libffi from the prototype (see `FunctionSignature` for the forms):
/// per sample, once per row; per batch, once per batch. Nonzero keeps the
/// pair.
///
/// Everything that can be checked without data is checked in `init`, so a
/// wrong prototype, file or symbol is a config error before the run
/// starts. The function may be called from several threads at once.
public final class FunctionVerifier: RuleVerifier {
    public static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "function",
            version: "1.0.0",
            summary: "Keeps the pairs a plain C function in a shared library keeps (called through libffi, per sample or per batch as its signature says)",
            parameters: [
                Parameter("function_library", "string", default: nil,
                          "path of the shared library (relative to the current folder); a bare name is searched like dlopen does"),
                Parameter("symbol", "string", default: nil, "the function's symbol; defaults to the name in signature"),
                Parameter("signature", "string", default: nil,
                          "its C prototype: `int f(const double *x, int d, double y)` per sample, or `void f(const double *x, const double *y, size_t n, size_t d, uint8_t *keep)` per batch"),
            ]
        )
    }

    public let library: String
    public let symbol: String
    public let signature: FunctionSignature
    private let function: @convention(c) () -> Void
    private let call: PreparedCall
    /// Columns of x, set in prepare; read-only afterwards.
    private var xCols = 0

    public init(config: ConfigReader, host: HostServices) throws {
        let origin = config.origin
        let path = try config.string("function_library")
        let text = try config.string("signature")
        let given = try config.string("symbol", default: "")
        do {
            signature = try FunctionSignature.parse(text)
        } catch let error as FunctionSignature.Unsupported {
            // The message must fit one assay_error line with the forms.
            let shown = text.count > 100 ? String(text.prefix(97)) + "..." : text
            throw PluginError.config(
                "\(origin): unsupported signature \"\(shown)\" (\(error.reason)); \(FunctionSignature.supportedForms)")
        }
        guard !path.isEmpty else {
            throw PluginError.config("\(origin): \"function_library\" must be the path of a shared library, got \"\"")
        }
        symbol = config.has("symbol") ? given : signature.name
        guard !symbol.isEmpty else {
            throw PluginError.config("\(origin): \"symbol\" must be a function name, got \"\"")
        }
        // A path with a slash is a file, relative to the current folder; a
        // bare name ("libm.so.6") is left to the dynamic loader's search.
        library = path.contains("/") ? URL(fileURLWithPath: path).standardizedFileURL.path : path
        if path.contains("/"), !FileManager.default.fileExists(atPath: library) {
            throw PluginError.config("\(origin): function_library \(library): no such file")
        }
        // Libraries stay loaded, like plugin libraries: the function may
        // keep static data.
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw PluginError.config(
                "\(origin): function_library \(library): cannot be loaded (\(reason.replacingOccurrences(of: library + ": ", with: "")))")
        }
        _ = dlerror()
        guard let address = dlsym(handle, symbol) else {
            throw PluginError.config("\(origin): symbol \"\(symbol)\" not found in \(library)")
        }
        function = unsafeBitCast(address, to: (@convention(c) () -> Void).self)
        call = try PreparedCall(signature.form, origin: origin)
        let how: String
        switch signature.form {
        case .perSample: how = "once per sample"
        case .batch: how = "once per batch"
        }
        host.log(.debug, "function: \(symbol) from \(library), called \(how)")
    }

    public func prepare(task: TaskShape, rng: HostRandom) throws {
        guard task.xCols >= 1, task.yCols == 1 else {
            throw PluginError.unsupported(
                "function: the task has x with \(task.xCols) columns and y with \(task.yCols); expected x_cols >= 1 and a single label column")
        }
        if case .int = call.count, task.xCols > Int(Int32.max) {
            throw PluginError.unsupported("function: x has \(task.xCols) columns, more than an int count holds")
        }
        xCols = task.xCols
    }

    /// PluginKit has checked the batch against the task of prepare: at least
    /// one row, x_cols columns and one label column.
    public func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        let rows = batch.rows
        let keepBase = keep.baseAddress!, x = batch.x.baseAddress!, y = batch.y.baseAddress!
        switch signature.form {
        case .perSample(let result, _):
            try call.perSample(function, x: x, y: y, rows: rows, cols: xCols) { row, value in
                switch result {
                case .double:
                    let number = value.load(as: Double.self)
                    guard !number.isNaN else {
                        throw PluginError.argument("function: \(symbol) returned NaN at row \(batch.firstRow + row)")
                    }
                    keep[row] = number != 0 ? 1 : 0
                case .bool, .cppBool:
                    keep[row] = UInt8(truncatingIfNeeded: value.load(as: UInt.self)) != 0 ? 1 : 0
                default:
                    keep[row] = Int32(truncatingIfNeeded: value.load(as: Int.self)) != 0 ? 1 : 0
                }
            }
        case .batch(let hasStatus, _):
            keep.update(repeating: 0)
            let status = try call.batch(function, x: x, y: y, rows: rows, cols: xCols, keep: keepBase)
            if hasStatus, status != 0 {
                throw PluginError.failed(
                    "function: \(symbol) returned \(status) for the batch of \(rows) rows at row \(batch.firstRow); expected 0")
            }
            for row in 0..<rows where keep[row] != 0 { keep[row] = 1 }
        }
    }
}

/// A libffi call interface prepared once, shared read-only by every call
/// (ffi_call does not write the cif, so calls may run concurrently).
private final class PreparedCall {
    let count: FunctionSignature.CType
    private let cif = UnsafeMutablePointer<ffi_cif>.allocate(capacity: 1)
    private let types: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    private let arity: Int

    init(_ form: FunctionSignature.Form, origin: String) throws {
        let result: UnsafeMutablePointer<ffi_type>
        let arguments: [UnsafeMutablePointer<ffi_type>]
        switch form {
        case .perSample(let returned, let count):
            self.count = count
            result = Self.ffiType(returned)
            arguments = [assay_ffi_pointer(), Self.ffiType(count), assay_ffi_double()]
        case .batch(let status, let count):
            self.count = count
            result = status ? assay_ffi_sint32() : assay_ffi_void()
            arguments = [assay_ffi_pointer(), assay_ffi_pointer(), Self.ffiType(count), Self.ffiType(count), assay_ffi_pointer()]
        }
        arity = arguments.count
        types = .allocate(capacity: arguments.count)
        for (index, type) in arguments.enumerated() { types[index] = type }
        let status = assay_ffi_prep_cif(cif, UInt32(arguments.count), result, types)
        guard status == FFI_OK else {
            types.deallocate()
            cif.deallocate()
            throw PluginError.failed("\(origin): libffi could not prepare the call (ffi_prep_cif status \(status.rawValue))")
        }
    }

    deinit {
        types.deallocate()
        cif.deallocate()
    }

    private static func ffiType(_ type: FunctionSignature.CType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .int: return assay_ffi_sint32()
        case .long: return assay_ffi_slong()
        case .int64: return assay_ffi_sint64()
        case .size: return assay_ffi_size()
        case .bool, .cppBool: return assay_ffi_uint8()
        case .double: return assay_ffi_double()
        case .void: return assay_ffi_void()
        case .constDoublePointer, .uint8Pointer, .ucharPointer: return assay_ffi_pointer()
        }
    }

    /// Writes `value` into `slot` as the C count type.
    private func store(count value: Int, into slot: UnsafeMutableRawPointer) throws {
        switch count {
        case .int:
            guard let narrow = Int32(exactly: value) else {
                throw PluginError.argument("function: count \(value) does not fit the function's int parameter")
            }
            slot.storeBytes(of: narrow, as: Int32.self)
        case .long: slot.storeBytes(of: CLong(value), as: CLong.self)
        case .int64: slot.storeBytes(of: Int64(value), as: Int64.self)
        default: slot.storeBytes(of: UInt(value), as: UInt.self)
        }
    }

    /// Argument storage for one call: a slot of 16 bytes per argument, one
    /// for the result, and the array of pointers to the argument slots.
    private func withFrame<T>(_ body: (UnsafeMutableRawPointer, UnsafeMutablePointer<UnsafeMutableRawPointer?>) throws -> T) rethrows -> T {
        let slots = UnsafeMutableRawPointer.allocate(byteCount: 16 * (arity + 1), alignment: 16)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: 16 * (arity + 1))
        let values = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: arity)
        for index in 0..<arity { values[index] = slots + 16 * (index + 1) }
        defer {
            values.deallocate()
            slots.deallocate()
        }
        return try body(slots, values)
    }

    /// Calls `function(x + row·cols, cols, y[row])` for each row and hands
    /// each raw result (widened to at least a machine word) to `take`.
    func perSample(_ function: @convention(c) () -> Void, x: UnsafePointer<Double>, y: UnsafePointer<Double>,
                   rows: Int, cols: Int, take: (Int, UnsafeRawPointer) throws -> Void) throws {
        try withFrame { result, values in
            try store(count: cols, into: values[1]!)
            for row in 0..<rows {
                values[0]!.storeBytes(of: x + row * cols, as: UnsafePointer<Double>.self)
                values[2]!.storeBytes(of: y[row], as: Double.self)
                ffi_call(cif, function, result, values)
                try take(row, UnsafeRawPointer(result))
            }
        }
    }

    /// Calls `function(x, y, rows, cols, keep)` once; returns its int
    /// status (0 for a void function).
    func batch(_ function: @convention(c) () -> Void, x: UnsafePointer<Double>, y: UnsafePointer<Double>,
               rows: Int, cols: Int, keep: UnsafeMutablePointer<UInt8>) throws -> Int32 {
        try withFrame { result, values in
            values[0]!.storeBytes(of: x, as: UnsafePointer<Double>.self)
            values[1]!.storeBytes(of: y, as: UnsafePointer<Double>.self)
            try store(count: rows, into: values[2]!)
            try store(count: cols, into: values[3]!)
            values[4]!.storeBytes(of: keep, as: UnsafeMutablePointer<UInt8>.self)
            ffi_call(cif, function, result, values)
            return Int32(truncatingIfNeeded: result.load(as: Int.self))
        }
    }
}

/// The built-in library table that carries the function verifier; the host
/// registers it without loading a file.
public enum FunctionVerifierLibrary {
    public static let library = ExportedLibrary(FunctionVerifier.self)
    public static var table: UnsafePointer<assay_library> { library.table }
}
