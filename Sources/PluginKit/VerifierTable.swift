import PluginAPI

/// The `assay_verifier` calls, forwarding to a `RuleVerifier` or a
/// `ScoringVerifier`.
///
/// Who checks what, once: these wrappers check what a Swift verifier is
/// given -- NULL pointers, the batch's columns and labels against the task
/// of prepare, the output buffer of the selection mode -- and the scores it
/// returns (finite), so that no verifier repeats it. Values the host hands a
/// verifier through its services are the host's to check: it checks each
/// generator's similarities are in [0, 1] where it receives them, so neither
/// `HostServices.similarity` nor a verifier checks them again.
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
                let verifier = try instance(raw, as: ExportedVerifier.self)
                try verifier.plugin.prepare(task: shape, rng: HostRandom(rng))
                try verifier.prepared(for: shape)
            }
        },
        selection: { raw, out, error in
            reporting(error) {
                guard let out else { throw PluginError.argument("selection: out must not be NULL") }
                let verifier = try instance(raw, as: ExportedVerifier.self)
                let selection = verifier.plugin.selection
                _ = try verifier.resolve(selection)
                switch selection {
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
                let verifier = try instance(raw, as: ExportedVerifier.self)
                guard let task = verifier.task, let judge = verifier.judge else {
                    throw PluginError.failed("\(verifier.id): verify called before prepare")
                }
                let view = Batch(batch)
                let rows = view.rows
                // The header promises at least one row; none is nothing to judge.
                guard rows > 0 else { return }
                try view.require(xCols: task.xCols, yCols: task.yCols, labels: true)
                switch judge {
                case .rule(let rule):
                    guard let keep else {
                        throw PluginError.argument("\(verifier.id): verify: keep is NULL; a RULE verifier fills keep[rows]")
                    }
                    try Scratch.withFrame { scratch in
                        try rule.keep(view, rng: HostRandom(rng), scratch: scratch,
                                      into: UnsafeMutableBufferPointer(start: keep, count: rows))
                    }
                case .scoring(let scoring):
                    guard let score else {
                        throw PluginError.argument("\(verifier.id): verify: score is NULL; a TOP_FRACTION verifier fills score[rows]")
                    }
                    let scores = UnsafeMutableBufferPointer(start: score, count: rows)
                    try Scratch.withFrame { scratch in
                        try scoring.score(view, rng: HostRandom(rng), scratch: scratch, into: scores)
                    }
                    if let i = scores.firstIndex(where: { !$0.isFinite }) {
                        throw PluginError.failed(
                            "\(verifier.id): score of row \(view.firstRow + i) is \(scores[i]); expected a finite number")
                    }
                }
            }
        }
    ))
    return UnsafePointer(table)
}()
