import Foundation
import PluginAPI
import PluginKit
import XCTest

/// One shipped verifier, loaded from its built library (beside the test
/// executable) and driven through its C table as a host would, with a host
/// of hand-set values: the similarities and log-likelihoods of the batch's
/// rows, the task's direction, and the uniforms and normals of the stream.
/// What a plugin test checks is then the plugin alone, without AssayHost.
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

    public init(library file: String, id: String) throws {
        plugin = try loadPlugin(file: file, id: id)
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

    /// create and prepare; throws the plugin's message on failure.
    public func start(_ config: String, xCols: Int, yCols: Int = 1) throws {
        var error = assay_error()
        guard plugin.pointee.create(plugin, config, host, &instance, &error) == ASSAY_OK else { throw Failure(error.text) }
        var task = assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                              x_cols: UInt64(xCols), y_cols: UInt64(yCols), generator_id: nil)
        guard plugin.pointee.verifier.pointee.prepare(instance, &task, rng, &error) == ASSAY_OK else { throw Failure(error.text) }
    }

    public var selection: assay_selection {
        var out = assay_selection()
        var error = assay_error()
        XCTAssertEqual(plugin.pointee.verifier.pointee.selection(instance, &out, &error), assay_status(ASSAY_OK), error.text)
        return out
    }

    /// verify on rows of `x` (`xCols` each) with labels `y`; the keep bits
    /// or the scores, as the selection asks.
    public func verify(x: [Double], xCols: Int, y: [Double], firstRow: Int = 0) throws -> (keep: [UInt8], score: [Double]) {
        let rows = y.count
        var keep = [UInt8](repeating: 9, count: rows), score = [Double](repeating: 9, count: rows)
        let rule = selection.mode == assay_selection_mode(ASSAY_SELECT_RULE)
        var error = assay_error()
        let status = x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                        rows: UInt64(rows), first_row: UInt64(firstRow), x: x.baseAddress,
                                        x_cols: UInt64(xCols), y: y.baseAddress, y_cols: 1, host_context: nil)
                return keep.withUnsafeMutableBufferPointer { keep in
                    score.withUnsafeMutableBufferPointer { score in
                        plugin.pointee.verifier.pointee.verify(instance, &batch, rng, rule ? keep.baseAddress : nil,
                                                               rule ? nil : score.baseAddress, &error)
                    }
                }
            }
        }
        guard status == ASSAY_OK else { throw Failure(error.text) }
        return (keep, score)
    }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
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
