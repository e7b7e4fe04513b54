import PluginAPI

/// A verifier instance, with its outputs checked before anything uses them.
public final class VerifierInstance: PluginInstance {
    enum Mode: Equatable {
        case rule
        case topFraction(Double)
    }

    private let calls: assay_verifier
    private(set) var mode = Mode.rule

    public init(info: PluginInfo, name: String, configJSON: String, generator: GeneratorInstance) throws {
        calls = info.table.pointee.verifier.pointee
        try super.init(info: info, name: name, configJSON: configJSON, generator: generator, threads: generator.threads)
    }

    public func prepare(task: GeneratorInstance, rng: UnsafeMutablePointer<assay_random>) throws {
        try task.info.id.withCString { id in
            var shape = assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                                   x_cols: UInt64(task.xCols), y_cols: UInt64(task.yCols), generator_id: id)
            try call("prepare") { calls.prepare(raw, &shape, rng, $0) }
        }
        var selection = assay_selection()
        try call("selection") { calls.selection(raw, &selection, $0) }
        switch Int(selection.mode) {
        case ASSAY_SELECT_RULE:
            mode = .rule
        case ASSAY_SELECT_TOP_FRACTION where selection.fraction > 0 && selection.fraction <= 1:
            mode = .topFraction(selection.fraction)
        default:
            throw failure("selection: mode \(selection.mode) with fraction \(selection.fraction); expected RULE, or TOP_FRACTION with a fraction in (0, 1]")
        }
    }

    /// Rule mode: keep bits for the batch, each checked to be 0 or 1.
    public func keep(batch: UnsafePointer<assay_batch>, rng: UnsafeMutablePointer<assay_random>,
              into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        try call("verify") { calls.verify(raw, batch, rng, keep.baseAddress, nil, $0) }
        let first = Int(batch.pointee.first_row)
        // OR of all bits is at most 1 exactly when every bit is 0 or 1; a
        // reduction the compiler vectorises, unlike an early-exit search.
        guard keep.reduce(0, |) > 1 else { return }
        for row in 0..<Int(batch.pointee.rows) where keep[row] > 1 {
            throw failure("verify: keep value \(keep[row]) at row \(first + row); expected 0 or 1")
        }
    }

    /// Top-fraction mode: scores for the batch, each checked to be finite.
    func score(batch: UnsafePointer<assay_batch>, rng: UnsafeMutablePointer<assay_random>,
               into score: UnsafeMutableBufferPointer<Double>) throws {
        try call("verify") { calls.verify(raw, batch, rng, nil, score.baseAddress, $0) }
        let first = Int(batch.pointee.first_row)
        for row in 0..<Int(batch.pointee.rows) where !score[row].isFinite {
            throw failure("verify: score \(score[row]) at row \(first + row); expected a finite number")
        }
    }
}
