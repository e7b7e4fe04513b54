import PluginAPI

/// The `assay_verifier` calls, forwarding to a `VerifierPlugin`.
let verifierTable: UnsafePointer<assay_verifier> = {
    let table = UnsafeMutablePointer<assay_verifier>.allocate(capacity: 1)
    table.initialize(to: assay_verifier(
        struct_size: UInt32(MemoryLayout<assay_verifier>.size),
        reserved: 0,
        prepare: { raw, task, rng, error in
            reporting(error) {
                guard let task, let rng else { throw PluginError.argument("prepare: task and rng must not be NULL") }
                let shape = TaskShape(xCols: Int(task.pointee.x_cols), yCols: Int(task.pointee.y_cols),
                                      generatorID: text(task.pointee.generator_id))
                try instance(raw, as: VerifierInstance.self).plugin.prepare(task: shape, rng: HostRandom(rng))
            }
        },
        selection: { raw, out, error in
            reporting(error) {
                guard let out else { throw PluginError.argument("selection: out must not be NULL") }
                switch instance(raw, as: VerifierInstance.self).plugin.selection {
                case .rule:
                    out.pointee = assay_selection(mode: assay_selection_mode(ASSAY_SELECT_RULE), reserved: 0, fraction: 1)
                case .topFraction(let fraction):
                    out.pointee = assay_selection(mode: assay_selection_mode(ASSAY_SELECT_TOP_FRACTION), reserved: 0, fraction: fraction)
                }
            }
        },
        verify: { raw, batch, rng, keep, score, error in
            reporting(error) {
                guard let batch, let rng else { throw PluginError.argument("verify: batch and rng must not be NULL") }
                let rows = Int(batch.pointee.rows)
                try instance(raw, as: VerifierInstance.self).plugin.verify(
                    batch: Batch(batch), rng: HostRandom(rng),
                    keep: UnsafeMutableBufferPointer(start: keep, count: keep == nil ? 0 : rows),
                    score: UnsafeMutableBufferPointer(start: score, count: score == nil ? 0 : rows))
            }
        }
    ))
    return UnsafePointer(table)
}()
