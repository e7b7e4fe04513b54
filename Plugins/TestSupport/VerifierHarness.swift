import Foundation
import PluginAPI
import PluginKit
import XCTest

/// One verifier driven through its C table as a host would, with a host of
/// hand-set values: the similarities and log-likelihoods of the batch's
/// rows, the task's direction, and the uniforms and normals of the stream.
/// What a test checks is then the plugin (or PluginKit's wrappers) alone,
/// without AssayHost. The verifier comes from a built library beside the
/// test executable (a shipped plugin's tests) or from a table in the test
/// itself (PluginKit's tests).
public final class VerifierHarness {
    /// What the host services and the random stream hand out.
    public final class Values {
        public var similarities: [Double] = []
        public var logLikelihoods: [Double] = []
        public var direction: [Double] = []
        public var uniforms: [Double] = []
        public var normals: [Double] = []
        /// The model names log_likelihood was asked for.
        public var models: [String] = []
    }

    public let values = Values()
    private let plugin: UnsafePointer<assay_plugin>
    private var instance: UnsafeMutableRawPointer?
    private let host = UnsafeMutablePointer<assay_host>.allocate(capacity: 1)
    private let rng = UnsafeMutablePointer<assay_random>.allocate(capacity: 1)

    public convenience init(library file: String, id: String) throws {
        try self.init(table: try loadLibrary(file: file), id: id)
    }

    public init(table: UnsafePointer<assay_library>, id: String) throws {
        plugin = try findPlugin(id, in: table)
        host.initialize(to: assay_host())
        host.pointee.struct_size = UInt32(MemoryLayout<assay_host>.size)
        host.pointee.abi_minor = UInt32(ASSAY_ABI_MINOR)
        host.pointee.host_data = Unmanaged.passUnretained(values).toOpaque()
        host.pointee.log = { _, _, _ in }
        host.pointee.similarity = { host, batch, out, _ in
            let values = VerifierHarness.values(host!.pointee.host_data)
            for i in 0 ..< Int(batch!.pointee.rows) { out![i] = values.similarities[i] }
            return assay_status(ASSAY_OK)
        }
        host.pointee.log_likelihood = { host, model, batch, out, _ in
            let values = VerifierHarness.values(host!.pointee.host_data)
            values.models.append(String(cString: model!))
            for i in 0 ..< Int(batch!.pointee.rows) { out![i] = values.logLikelihoods[i] }
            return assay_status(ASSAY_OK)
        }
        host.pointee.task_vector = { host, _, out, count, _ in
            let values = VerifierHarness.values(host!.pointee.host_data)
            for i in 0 ..< Int(count) { out![i] = values.direction[i] }
            return assay_status(ASSAY_OK)
        }
        rng.initialize(to: assay_random(
            struct_size: UInt32(MemoryLayout<assay_random>.size), reserved: 0,
            state: Unmanaged.passUnretained(values).toOpaque(),
            uniform: { rng, out, count in
                let values = VerifierHarness.values(rng!.pointee.state)
                for i in 0 ..< Int(count) { out![i] = values.uniforms.removeFirst() }
            },
            normal: { rng, out, count in
                let values = VerifierHarness.values(rng!.pointee.state)
                for i in 0 ..< Int(count) { out![i] = values.normals.removeFirst() }
            },
            bits: { _, out, count in for i in 0 ..< Int(count) { out![i] = 0 } }))
    }

    deinit {
        if let instance { plugin.pointee.destroy(instance) }
        host.deallocate()
        rng.deallocate()
    }

    private static func values(_ raw: UnsafeMutableRawPointer?) -> Values {
        Unmanaged<Values>.fromOpaque(raw!).takeUnretainedValue()
    }

    /// create and prepare; throws the plugin's status and message on failure.
    public func start(_ config: String, xCols: Int, yCols: Int = 1) throws {
        try create(config)
        try prepare(xCols: xCols, yCols: yCols)
    }

    public func create(_ config: String) throws {
        try Failure.check { plugin.pointee.create(plugin, config, host, &instance, $0) }
    }

    public func prepare(xCols: Int, yCols: Int = 1) throws {
        var task = assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                              x_cols: UInt64(xCols), y_cols: UInt64(yCols), generator_id: nil)
        try Failure.check { plugin.pointee.verifier.pointee.prepare(instance, &task, rng, $0) }
    }

    public func selection() throws -> assay_selection {
        var out = assay_selection()
        try Failure.check { plugin.pointee.verifier.pointee.selection(instance, &out, $0) }
        return out
    }

    /// verify on rows of `x` (`xCols` each) with labels `y`; the keep bits
    /// or the scores, as the selection asks (the other stays all 9).
    public func verify(x: [Double], xCols: Int, y: [Double], firstRow: Int = 0) throws -> (keep: [UInt8], score: [Double]) {
        let rule = try selection().mode == assay_selection_mode(ASSAY_SELECT_RULE)
        return try verify(rows: y.count, firstRow: firstRow, x: x, xCols: xCols, y: y, keep: rule, score: !rule)
    }

    /// verify on a batch as given: `y` nil passes no labels, `keep` or
    /// `score` false passes NULL for that buffer, and `yCols` may differ
    /// from the task's, so that a test can hand the wrappers what a host
    /// must not. Buffers start as 9s, so that untouched entries show.
    public func verify(rows: Int, firstRow: Int = 0, x: [Double]? = nil, xCols: Int, y: [Double]?, yCols: Int = 1,
                       keep wantsKeep: Bool = true, score wantsScore: Bool = true) throws -> (keep: [UInt8], score: [Double]) {
        let x = x ?? [Double](repeating: 0, count: rows * xCols)
        var keep = [UInt8](repeating: 9, count: rows), score = [Double](repeating: 9, count: rows)
        try x.withUnsafeBufferPointer { x in
            try withOptionalBuffer(y) { y in
                var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                        rows: UInt64(rows), first_row: UInt64(firstRow), x: x.baseAddress,
                                        x_cols: UInt64(xCols), y: y, y_cols: UInt64(yCols), host_context: nil)
                try keep.withUnsafeMutableBufferPointer { keep in
                    try score.withUnsafeMutableBufferPointer { score in
                        try Failure.check {
                            plugin.pointee.verifier.pointee.verify(instance, &batch, rng, wantsKeep ? keep.baseAddress : nil,
                                                                   wantsScore ? score.baseAddress : nil, $0)
                        }
                    }
                }
            }
        }
        return (keep, score)
    }
}

/// A call that did not return ASSAY_OK: its status and one-line message.
public struct Failure: Error, CustomStringConvertible, Equatable {
    public var status: assay_status
    public var description: String

    public init(status: assay_status, _ description: String) {
        self.status = status
        self.description = description
    }

    /// Runs a C call with a fresh error; throws unless it returns ASSAY_OK.
    static func check(_ body: (UnsafeMutablePointer<assay_error>) -> assay_status) throws {
        var error = assay_error()
        let status = body(&error)
        guard status == ASSAY_OK else { throw Failure(status: status, error.text) }
    }
}

private func withOptionalBuffer<R>(_ values: [Double]?, _ body: (UnsafePointer<Double>?) throws -> R) rethrows -> R {
    guard let values else { return try body(nil) }
    return try values.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// The message a throwing call failed with; nil when it did not throw.
public func failure(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return String(describing: error)
    }
}

/// How a throwing call failed, status and message; nil when it did not.
public func failing(_ body: () throws -> Void) -> Failure? {
    do {
        try body()
        return nil
    } catch let failure as Failure {
        return failure
    } catch {
        return Failure(status: -1, "not a Failure: \(error)")
    }
}
