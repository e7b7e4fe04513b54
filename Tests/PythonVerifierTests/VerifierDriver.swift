import AssayTestSupport
import Foundation
import PluginAPI
import PluginKit
import PythonVerifier

/// A built-in verifier (the python one by default) driven in this process
/// through its C table, as the host drives it: create, prepare, selection, then verify on
/// batches the test makes. The host's services are a log that drops lines;
/// the verifier needs nothing else.
final class VerifierDriver {
    private let plugin: UnsafePointer<assay_plugin>
    private var instance: UnsafeMutableRawPointer?
    private let host = UnsafeMutablePointer<assay_host>.allocate(capacity: 1)
    let rule: Bool

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// create and prepare with `config` (JSON); throws the plugin's message.
    init(_ config: String, xCols: Int, yCols: Int = 1, table: UnsafePointer<assay_library> = PythonVerifierLibrary.table) throws {
        let library = table.pointee
        plugin = library.plugins[0]!
        host.initialize(to: assay_host())
        host.pointee.struct_size = UInt32(MemoryLayout<assay_host>.size)
        host.pointee.abi_minor = UInt32(ASSAY_ABI_MINOR)
        host.pointee.log = { _, _, _ in }
        var error = assay_error()
        guard plugin.pointee.create(plugin, config, host, &instance, &error) == ASSAY_OK else {
            host.deallocate()
            throw Failure(description: error.text)
        }
        var task = assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                              x_cols: UInt64(xCols), y_cols: UInt64(yCols), generator_id: nil)
        var rng = assay_random()
        guard plugin.pointee.verifier.pointee.prepare(instance, &task, &rng, &error) == ASSAY_OK else {
            throw Failure(description: error.text)
        }
        var selection = assay_selection()
        _ = plugin.pointee.verifier.pointee.selection(instance, &selection, &error)
        rule = selection.mode == assay_selection_mode(ASSAY_SELECT_RULE)
    }

    deinit {
        if let instance { plugin.pointee.destroy(instance) }
        host.deallocate()
    }

    /// verify on `rows` rows of x (`xCols` each) and labels y; the keep bits
    /// (rule) or the scores (score).
    func verify(x: [Double], y: [Double], xCols: Int, firstRow: Int) throws -> (keep: [UInt8], score: [Double]) {
        let rows = y.count
        var keep = [UInt8](repeating: 9, count: rows), score = [Double](repeating: 9, count: rows)
        var error = assay_error()
        var rng = assay_random()
        let status = x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                        rows: UInt64(rows), first_row: UInt64(firstRow), x: x.baseAddress,
                                        x_cols: UInt64(xCols), y: y.baseAddress, y_cols: 1, host_context: nil)
                return keep.withUnsafeMutableBufferPointer { keep in
                    score.withUnsafeMutableBufferPointer { score in
                        plugin.pointee.verifier.pointee.verify(instance, &batch, &rng, rule ? keep.baseAddress : nil,
                                                               rule ? nil : score.baseAddress, &error)
                    }
                }
            }
        }
        guard status == ASSAY_OK else { throw Failure(description: error.text) }
        return (keep, score)
    }
}

/// A reproducible batch: x of `rows` × `cols` and labels y' in {-1, +1},
/// from a linear congruential stream (the tests need fixed numbers, not
/// good randomness).
func testBatch(rows: Int, cols: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
    let x = (0..<(rows * cols)).map { _ in next() }
    let y = (0..<rows).map { _ in next() > 0 ? 1.0 : -1.0 }
    return (x, y)
}
