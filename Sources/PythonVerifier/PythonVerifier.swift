import CPython
import Foundation
import PluginAPI
import PluginKit

/// A verifier written in Python: `function` of `module` (a file path, or a
/// module name importable by the interpreter), called once per batch as
///
///     function(x, y, **config)
///
/// with x the batch's inputs as a read-only float64 numpy array of shape
/// (rows, x_cols) and y its labels y' (shape (rows,), or (rows, y_cols)),
/// both views of the host's buffers without a copy; `config` is every key
/// of the verifier's table this verifier does not read itself. In
/// `mode = "rule"` it returns keep bits (a bool array, or numbers 0 and 1,
/// one per row); in `mode = "score"` finite scores, and the host keeps
/// `fraction` of the pool with the highest.
///
/// CPython is embedded (loaded at run time, see PythonLocation); calls from
/// several threads serialize on the GIL, taken per batch.
public final class PythonVerifier: RuleVerifier, ScoringVerifier {
    public static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "python",
            version: "1.0.0",
            summary: "Keeps the pairs a Python function keeps, or keeps the top fraction by its scores: function(x, y, **config) once per batch, x and y numpy views of the batch",
            parameters: [
                Parameter("module", "string", default: nil,
                          "a .py file (path relative to the current folder) or an importable module name"),
                Parameter("function", "string", default: nil,
                          "the function: function(x, y, **config) -> keep bits (rule) or scores (score), one per row"),
                Parameter("mode", "string", default: "\"rule\"",
                          "\"rule\": the function returns keep bits; \"score\": it returns scores and the top fraction is kept"),
                Parameter("fraction", "number", default: nil, "the share of the pool kept in score mode, in (0, 1]"),
                Parameter("python", "string", default: nil,
                          "the interpreter whose environment is used (default: $ASSAY_PYTHON, else python3 on PATH)"),
                Parameter("python_library", "string", default: nil,
                          "libpython to load (default: $ASSAY_PYTHON_LIBRARY, else the interpreter's own)"),
            ]
        )
    }

    /// The keys the verifier reads; every other key goes to the function.
    static let ownKeys: Set<String> = ["module", "function", "mode", "fraction", "python", "python_library"]

    public let module: String
    public let function: String
    /// "module:function", how messages name the function.
    public let label: String
    public let selection: Selection
    private let caller: PythonObject
    private let runtime: PythonRuntime
    /// Columns of x and y, set in prepare; read-only afterwards.
    private var xCols = 0
    private var yCols = 0

    public var fraction: Double {
        if case .topFraction(let fraction) = selection { return fraction }
        return 1
    }

    public init(config: ConfigReader, host: HostServices) throws {
        let origin = config.origin
        module = try config.string("module")
        function = try config.string("function")
        let mode = try config.string("mode", default: "rule", oneOf: ["rule", "score"])
        guard !module.isEmpty else { throw PluginError.config("\(origin): \"module\" must be a file path or a module name, got \"\"") }
        guard !function.isEmpty else { throw PluginError.config("\(origin): \"function\" must be a function name, got \"\"") }
        if mode == "score" {
            let fraction = try config.number("fraction", in: 0...1)
            guard fraction > 0 else {
                throw PluginError.config("\(origin): \"fraction\" must be a number in (0, 1], got 0")
            }
            selection = .topFraction(fraction)
        } else {
            guard !config.has("fraction") else {
                throw PluginError.config("\(origin): \"fraction\" is for mode = \"score\"; a rule verifier keeps what its function keeps")
            }
            selection = .rule
        }
        let python = try config.string("python", default: "")
        let library = try config.string("python_library", default: "")
        let keywords = try config.json(excluding: Self.ownKeys)
        label = "\(module):\(function)"
        do {
            let location = try PythonLocation.resolve(python: python, library: library, origin: origin)
            runtime = try PythonRuntime.start(location, origin: origin)
            caller = try runtime.bridge.attribute("load").call([module, function, label, keywords, mode])
        } catch let failure as PythonFailure {
            throw PluginError.config(failure.message)
        }
        host.log(.debug, "python: \(label) in Python \(runtime.version.split(separator: " ").first ?? "") from \(runtime.location.library)")
    }

    public func prepare(task: TaskShape, rng: HostRandom) throws {
        guard task.xCols >= 1, task.yCols >= 1 else {
            throw PluginError.unsupported(
                "python: the task has x with \(task.xCols) columns and y with \(task.yCols); expected at least one of each")
        }
        xCols = task.xCols
        yCols = task.yCols
    }

    public func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        try call(batch, out: UnsafeMutableRawPointer(keep.baseAddress!), bytes: keep.count)
    }

    public func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {
        try call(batch, out: UnsafeMutableRawPointer(score.baseAddress!), bytes: score.count * MemoryLayout<Double>.size)
    }

    /// One call of the function over the whole batch, under the GIL.
    private func call(_ batch: Batch, out: UnsafeMutableRawPointer, bytes: Int) throws {
        var message = [CChar](repeating: 0, count: PythonObject.capacity)
        let rows = batch.rows
        let status = assay_python_call_batch(caller.handle, batch.x.baseAddress!, batch.y.baseAddress!, out, bytes,
                                             UInt64(rows), UInt64(xCols), UInt64(yCols), UInt64(batch.firstRow),
                                             &message, message.count)
        switch status {
        case 0:
            return
        case 2:
            throw PluginError.failed(
                "\(label) kept a view of x, y or its output after returning (batch of rows \(batch.firstRow)\u{2013}\(batch.firstRow + rows - 1)); the host reuses those buffers: copy what it keeps (numpy.array(x))")
        default:
            throw PluginError.failed(String(cString: message))
        }
    }
}

/// The built-in library table that carries the python verifier; the host
/// registers it without loading a file.
public enum PythonVerifierLibrary {
    public static let library = ExportedLibrary(PythonVerifier.self)
    public static var table: UnsafePointer<assay_library> { library.table }
}
