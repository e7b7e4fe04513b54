import PluginAPI

/// The `assay_generator` calls, forwarding to a `GeneratorPlugin`. Every
/// output buffer is sized from the shape prepare returned, and every batch
/// is checked against that shape here, so that no generator repeats it.
let generatorTable: UnsafePointer<assay_generator> = {
    func generator(_ raw: UnsafeMutableRawPointer?, _ call: String) throws -> (plugin: any GeneratorPlugin, xCols: Int, yCols: Int) {
        let exported = try instance(raw, as: ExportedGenerator.self)
        guard let shape = exported.shape else {
            throw PluginError.failed("\(type(of: exported.plugin).descriptor.id): \(call) called before prepare")
        }
        return (exported.plugin, shape.xCols, shape.yCols)
    }
    let table = UnsafeMutablePointer<assay_generator>.allocate(capacity: 1)
    table.initialize(to: assay_generator(
        struct_size: UInt32(MemoryLayout<assay_generator>.size),
        reserved: 0,
        prepare: { raw, rng, xCols, yCols, error in
            reporting(error) {
                guard let rng, let xCols, let yCols else { throw PluginError.argument("prepare: NULL argument") }
                let exported = try instance(raw, as: ExportedGenerator.self)
                let shape = try exported.plugin.prepare(rng: HostRandom(rng))
                exported.shape = shape
                xCols.pointee = UInt64(shape.xCols)
                yCols.pointee = UInt64(shape.yCols)
            }
        },
        draw: { raw, rng, count, x, y, error in
            reporting(error) {
                let (plugin, xCols, yCols) = try generator(raw, "draw")
                let rows = Int(count)
                guard rows > 0 else { return }
                guard let rng, let x, let y else { throw PluginError.argument("draw: NULL argument") }
                try plugin.draw(rng: HostRandom(rng), count: rows,
                                x: UnsafeMutableBufferPointer(start: x, count: rows * xCols),
                                y: UnsafeMutableBufferPointer(start: y, count: rows * yCols))
            }
        },
        label: { raw, model, mode, batch, rng, out, error in
            reporting(error) {
                let (plugin, xCols, yCols) = try generator(raw, "label")
                guard let batch, let rng, let out else { throw PluginError.argument("label: NULL argument") }
                guard mode == ASSAY_LABEL_PREDICT || mode == ASSAY_LABEL_SYNTHESIZE else {
                    throw PluginError.argument("label: unknown mode \(mode)")
                }
                let view = Batch(batch)
                guard view.rows > 0 else { return }
                try view.require(xCols: xCols, labels: false)
                try plugin.label(model: text(model), mode: mode == ASSAY_LABEL_PREDICT ? .predict : .synthesize,
                                 batch: view, rng: HostRandom(rng),
                                 into: UnsafeMutableBufferPointer(start: out, count: view.rows * yCols))
            }
        },
        similarity: { raw, batch, truth, out, error in
            reporting(error) {
                let (plugin, xCols, yCols) = try generator(raw, "similarity")
                guard let batch, let truth, let out else { throw PluginError.argument("similarity: NULL argument") }
                let view = Batch(batch)
                guard view.rows > 0 else { return }
                try view.require(xCols: xCols, yCols: yCols, labels: true)
                try plugin.similarity(batch: view, truth: UnsafeBufferPointer(start: truth, count: view.rows * yCols),
                                      into: UnsafeMutableBufferPointer(start: out, count: view.rows))
            }
        },
        log_likelihood: { raw, model, batch, out, error in
            reporting(error) {
                let (plugin, xCols, yCols) = try generator(raw, "log_likelihood")
                guard let batch, let out else { throw PluginError.argument("log_likelihood: NULL argument") }
                let view = Batch(batch)
                guard view.rows > 0 else { return }
                try view.require(xCols: xCols, yCols: yCols, labels: true)
                try plugin.logLikelihood(model: text(model), batch: view,
                                         into: UnsafeMutableBufferPointer(start: out, count: view.rows))
            }
        },
        fit: { raw, model, batch, error in
            reporting(error) {
                let (plugin, xCols, yCols) = try generator(raw, "fit")
                guard let batch else { throw PluginError.argument("fit: NULL batch") }
                let view = Batch(batch)
                try view.require(xCols: xCols, yCols: yCols, labels: true)
                try plugin.fit(model: text(model), batch: view)
            }
        },
        forget: { raw, model in
            guard let raw else { return }
            Unmanaged<ExportedGenerator>.fromOpaque(raw).takeUnretainedValue().plugin.forget(model: text(model))
        },
        task_vector: { raw, name, out, count, error in
            reporting(error) {
                let (plugin, _, _) = try generator(raw, "task_vector")
                guard let out else { throw PluginError.argument("task_vector: NULL out") }
                try plugin.taskVector(text(name), into: UnsafeMutableBufferPointer(start: out, count: Int(count)))
            }
        }
    ))
    return UnsafePointer(table)
}()
