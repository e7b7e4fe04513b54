import Foundation
import Numerics
import PluginAPI
import XCTest

/// One generator driven through its C table with seeded random streams, as
/// the host drives it but without AssayHost: from a built library beside
/// the test executable, or from a table in the test. Every call that fails
/// throws its status and one-line message (`Failure`).
public final class GeneratorHarness {
    private let plugin: UnsafePointer<assay_plugin>
    private var instance: UnsafeMutableRawPointer?
    private let host = UnsafeMutablePointer<assay_host>.allocate(capacity: 1)
    public private(set) var xCols = 0
    public private(set) var yCols = 0

    private var calls: assay_generator { plugin.pointee.generator.pointee }

    /// Loads the library and creates an instance from `config`.
    public convenience init(library file: String, id: String, config: String, threads: UInt32 = 2) throws {
        try self.init(table: try loadLibrary(file: file), id: id, config: config, threads: threads)
    }

    public init(table: UnsafePointer<assay_library>, id: String, config: String, threads: UInt32 = 2) throws {
        plugin = try findPlugin(id, in: table)
        host.initialize(to: assay_host())
        host.pointee.struct_size = UInt32(MemoryLayout<assay_host>.size)
        host.pointee.abi_minor = UInt32(ASSAY_ABI_MINOR)
        host.pointee.threads = threads
        host.pointee.log = { _, _, _ in }
        // On failure deinit still runs (the object is whole) and frees host.
        try Failure.check { plugin.pointee.create(plugin, config, host, &instance, $0) }
    }

    deinit {
        if let instance { plugin.pointee.destroy(instance) }
        host.deallocate()
    }

    private func check(_ body: (UnsafeMutablePointer<assay_error>) -> assay_status) throws {
        try Failure.check(body)
    }

    public func prepare(seed: UInt64) throws {
        var x: UInt64 = 0, y: UInt64 = 0
        try withStream(seed: seed, keys: [0]) { rng in try check { calls.prepare(instance, rng, &x, &y, $0) } }
        xCols = Int(x)
        yCols = Int(y)
    }

    public func draw(rows: Int, seed: UInt64, keys: [UInt64]) throws -> (x: [Double], y: [Double]) {
        var x = [Double](repeating: 0, count: rows * xCols), y = [Double](repeating: 0, count: rows * yCols)
        try withStream(seed: seed, keys: keys) { rng in
            try check { error in calls.draw(instance, rng, UInt64(rows), &x, &y, error) }
        }
        return (x, y)
    }

    public func label(model: String, mode: Int, x: [Double], seed: UInt64, keys: [UInt64]) throws -> [Double] {
        let rows = x.count / xCols
        var y = [Double](repeating: 0, count: rows * yCols)
        try withStream(seed: seed, keys: keys) { rng in
            try withBatch(x: x, y: nil) { batch in
                try check { error in calls.label(instance, model, assay_label_mode(mode), batch, rng, &y, error) }
            }
        }
        return y
    }

    public func similarity(x: [Double], y: [Double], truth: [Double]) throws -> [Double] {
        var s = [Double](repeating: -1, count: x.count / xCols)
        try withBatch(x: x, y: y) { batch in try check { error in calls.similarity(instance, batch, truth, &s, error) } }
        return s
    }

    public func logLikelihood(model: String, x: [Double], y: [Double]) throws -> [Double] {
        var out = [Double](repeating: 0, count: x.count / xCols)
        try withBatch(x: x, y: y) { batch in try check { error in calls.log_likelihood(instance, model, batch, &out, error) } }
        return out
    }

    public func fit(model: String, x: [Double], y: [Double]) throws {
        try withBatch(x: x, y: y) { batch in try check { error in calls.fit(instance, model, batch, error) } }
    }

    public func taskVector(_ name: String, count: Int) throws -> [Double] {
        var out = [Double](repeating: 0, count: count)
        try check { error in calls.task_vector(instance, name, &out, UInt64(count), error) }
        return out
    }

    /// label on x with `xCols` columns of its own (how a test hands the
    /// wrappers a batch of the wrong shape, or calls before prepare); y
    /// starts as 9s, so that untouched entries show.
    @discardableResult
    public func label(model: String, x: [Double], xCols columns: Int) throws -> [Double] {
        var y = [Double](repeating: 9, count: x.count / columns * max(yCols, 1))
        try withStream(seed: 1, keys: [0]) { rng in
            try x.withUnsafeBufferPointer { x in
                var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                        rows: UInt64(x.count / columns), first_row: 0, x: x.baseAddress,
                                        x_cols: UInt64(columns), y: nil, y_cols: UInt64(yCols), host_context: nil)
                try check { error in calls.label(instance, model, assay_label_mode(ASSAY_LABEL_PREDICT), &batch, rng, &y, error) }
            }
        }
        return y
    }

    public func forget(model: String) {
        calls.forget(instance, model)
    }

    private func withBatch(x: [Double], y: [Double]?, _ body: (UnsafePointer<assay_batch>) throws -> Void) throws {
        try x.withUnsafeBufferPointer { x in
            func run(_ y: UnsafePointer<Double>?) throws {
                var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                        rows: UInt64(x.count / xCols), first_row: 0, x: x.baseAddress,
                                        x_cols: UInt64(xCols), y: y, y_cols: UInt64(yCols), host_context: nil)
                try body(&batch)
            }
            if let y { try y.withUnsafeBufferPointer { try run($0.baseAddress) } } else { try run(nil) }
        }
    }
}

/// An `assay_random` over Numerics' stream for (seed, keys), for one body.
public func withStream<Result>(seed: UInt64, keys: [UInt64], _ body: (UnsafeMutablePointer<assay_random>) throws -> Result) rethrows -> Result {
    let state = UnsafeMutablePointer<RandomStream>.allocate(capacity: 1)
    state.initialize(to: RandomStream(seed: seed, keys: keys))
    let rng = UnsafeMutablePointer<assay_random>.allocate(capacity: 1)
    defer {
        rng.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }
    rng.initialize(to: assay_random(
        struct_size: UInt32(MemoryLayout<assay_random>.size), reserved: 0, state: UnsafeMutableRawPointer(state),
        uniform: { rng, out, count in
            rng!.pointee.state.assumingMemoryBound(to: RandomStream.self).pointee
                .fillUniform(UnsafeMutableBufferPointer(start: out, count: Int(count)))
        },
        normal: { rng, out, count in
            rng!.pointee.state.assumingMemoryBound(to: RandomStream.self).pointee
                .fillNormal(UnsafeMutableBufferPointer(start: out, count: Int(count)))
        },
        bits: { rng, out, count in
            rng!.pointee.state.assumingMemoryBound(to: RandomStream.self).pointee
                .fillBits(UnsafeMutableBufferPointer(start: out, count: Int(count)))
        }))
    return try body(rng)
}

/// The table of the built library `file` beside the test executable.
func loadLibrary(file: String) throws -> UnsafePointer<assay_library> {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(file).path
    let handle = try XCTUnwrap(dlopen(path, RTLD_NOW | RTLD_LOCAL), "\(path): \(String(cString: dlerror()))")
    let entry = unsafeBitCast(try XCTUnwrap(dlsym(handle, ASSAY_PLUGIN_ENTRY_SYMBOL)), to: assay_plugin_entry_fn.self)
    return try XCTUnwrap(entry())
}

func findPlugin(_ id: String, in table: UnsafePointer<assay_library>) throws -> UnsafePointer<assay_plugin> {
    let library = table.pointee
    return try XCTUnwrap((0 ..< Int(library.plugin_count)).compactMap { library.plugins[$0] }
        .first { String(cString: $0.pointee.id) == id }, "the library has no plugin \"\(id)\"")
}
