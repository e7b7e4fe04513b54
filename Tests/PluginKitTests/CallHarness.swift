import PluginAPI
import PluginKit

/// Drives `testLibrary` through its C tables, as a host would: creates an
/// instance, prepares it, and calls verify or label on hand-made batches.
final class CallHarness {
    let plugin: UnsafePointer<assay_plugin>
    private(set) var instance: UnsafeMutableRawPointer?
    private let host = UnsafeMutablePointer<assay_host>.allocate(capacity: 1)
    private let rng = UnsafeMutablePointer<assay_random>.allocate(capacity: 1)

    struct Outcome {
        var status: assay_status
        var message: String
        var keep: [UInt8]
        var score: [Double]
    }

    init(_ id: String) {
        let library = testLibrary.table.pointee
        plugin = (0 ..< Int(library.plugin_count)).map { library.plugins[$0]! }.first { String(cString: $0.pointee.id) == id }!
        host.initialize(to: assay_host())
        host.pointee.struct_size = UInt32(MemoryLayout<assay_host>.size)
        host.pointee.abi_minor = UInt32(ASSAY_ABI_MINOR)
        rng.initialize(to: assay_random(struct_size: UInt32(MemoryLayout<assay_random>.size), reserved: 0, state: nil,
                                        uniform: { _, out, count in for i in 0 ..< Int(count) { out![i] = 0.5 } },
                                        normal: { _, out, count in for i in 0 ..< Int(count) { out![i] = 0 } },
                                        bits: { _, out, count in for i in 0 ..< Int(count) { out![i] = 7 } }))
    }

    deinit {
        if let instance { plugin.pointee.destroy(instance) }
        host.deallocate()
        rng.deallocate()
    }

    /// create with `config`; the status and message.
    func create(_ config: String = "{}") -> (status: assay_status, message: String) {
        var error = assay_error()
        let status = plugin.pointee.create(plugin, config, host, &instance, &error)
        return (status, status == ASSAY_OK ? "" : error.text)
    }

    func prepare(xCols: Int, yCols: Int) -> (status: assay_status, message: String) {
        var error = assay_error()
        var task = assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                              x_cols: UInt64(xCols), y_cols: UInt64(yCols), generator_id: nil)
        let status = plugin.pointee.verifier.pointee.prepare(instance, &task, rng, &error)
        return (status, status == ASSAY_OK ? "" : error.text)
    }

    func selection() -> (status: assay_status, message: String, selection: assay_selection) {
        var error = assay_error()
        var out = assay_selection()
        let status = plugin.pointee.verifier.pointee.selection(instance, &out, &error)
        return (status, status == ASSAY_OK ? "" : error.text, out)
    }

    /// verify on `rows` rows of `xCols` inputs (all 0) and labels `y`
    /// (`yCols` per row; nil: no labels), with the buffers asked for,
    /// pre-filled with 9 so that untouched entries show.
    func verify(rows: Int, firstRow: Int = 0, xCols: Int, y: [Double]?, yCols: Int = 1,
                keep wantsKeep: Bool = true, score wantsScore: Bool = true) -> Outcome {
        let x = [Double](repeating: 0, count: rows * xCols)
        var keep = [UInt8](repeating: 9, count: rows)
        var score = [Double](repeating: 9, count: rows)
        var error = assay_error()
        let status = x.withUnsafeBufferPointer { x in
            withOptionalBuffer(y) { y in
                var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                        rows: UInt64(rows), first_row: UInt64(firstRow), x: x.baseAddress,
                                        x_cols: UInt64(xCols), y: y, y_cols: UInt64(yCols), host_context: nil)
                return keep.withUnsafeMutableBufferPointer { keep in
                    score.withUnsafeMutableBufferPointer { score in
                        plugin.pointee.verifier.pointee.verify(instance, &batch, rng, wantsKeep ? keep.baseAddress : nil,
                                                               wantsScore ? score.baseAddress : nil, &error)
                    }
                }
            }
        }
        return Outcome(status: status, message: status == ASSAY_OK ? "" : error.text, keep: keep, score: score)
    }

    func prepareGenerator() -> (status: assay_status, message: String) {
        var error = assay_error()
        var xCols: UInt64 = 0, yCols: UInt64 = 0
        let status = plugin.pointee.generator.pointee.prepare(instance, rng, &xCols, &yCols, &error)
        return (status, status == ASSAY_OK ? "" : error.text)
    }

    func label(rows: Int, xCols: Int) -> (status: assay_status, message: String, y: [Double]) {
        let x = [Double](repeating: 0, count: rows * xCols)
        var y = [Double](repeating: 9, count: rows)
        var error = assay_error()
        let status = x.withUnsafeBufferPointer { x in
            var batch = assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                    rows: UInt64(rows), first_row: 0, x: x.baseAddress, x_cols: UInt64(xCols),
                                    y: nil, y_cols: 1, host_context: nil)
            return y.withUnsafeMutableBufferPointer { y in
                plugin.pointee.generator.pointee.label(instance, "generator", assay_label_mode(ASSAY_LABEL_SYNTHESIZE),
                                                       &batch, rng, y.baseAddress, &error)
            }
        }
        return (status, status == ASSAY_OK ? "" : error.text, y)
    }
}

private func withOptionalBuffer<R>(_ values: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}

let ok = assay_status(ASSAY_OK)
let argumentError = assay_status(ASSAY_ERROR_ARGUMENT)
let configError = assay_status(ASSAY_ERROR_CONFIG)
let failedError = assay_status(ASSAY_ERROR_FAILED)
