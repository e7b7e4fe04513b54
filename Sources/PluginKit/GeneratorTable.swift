import PluginAPI

/// The `assay_generator` calls, forwarding to a `GeneratorPlugin`.
let generatorTable: UnsafePointer<assay_generator> = {
    func generator(_ raw: UnsafeMutableRawPointer?) -> any GeneratorPlugin {
        instance(raw, as: GeneratorInstance.self).plugin
    }
    func shape(_ raw: UnsafeMutableRawPointer?) -> (xCols: Int, yCols: Int) {
        instance(raw, as: GeneratorInstance.self).shape
    }
    let table = UnsafeMutablePointer<assay_generator>.allocate(capacity: 1)
    table.initialize(to: assay_generator(
        struct_size: UInt32(MemoryLayout<assay_generator>.size),
        reserved: 0,
        prepare: { raw, rng, xCols, yCols, error in
            reporting(error) {
                guard let rng, let xCols, let yCols else { throw PluginError.argument("prepare: NULL argument") }
                let shape = try generator(raw).prepare(rng: HostRandom(rng))
                instance(raw, as: GeneratorInstance.self).shape = shape
                xCols.pointee = UInt64(shape.xCols)
                yCols.pointee = UInt64(shape.yCols)
            }
        },
        draw: { raw, rng, count, x, y, error in
            reporting(error) {
                guard let rng, let x, let y else { throw PluginError.argument("draw: NULL argument") }
                let rows = Int(count), columns = shape(raw)
                try generator(raw).draw(rng: HostRandom(rng), count: rows,
                                        x: UnsafeMutableBufferPointer(start: x, count: rows * columns.xCols),
                                        y: UnsafeMutableBufferPointer(start: y, count: rows * columns.yCols))
            }
        },
        label: { raw, model, mode, batch, rng, out, error in
            reporting(error) {
                guard let batch, let rng, let out else { throw PluginError.argument("label: NULL argument") }
                let labelMode: LabelMode = mode == ASSAY_LABEL_PREDICT ? .predict : .synthesize
                guard mode == ASSAY_LABEL_PREDICT || mode == ASSAY_LABEL_SYNTHESIZE else {
                    throw PluginError.argument("label: unknown mode \(mode)")
                }
                let view = Batch(batch)
                try generator(raw).label(model: text(model), mode: labelMode, batch: view, rng: HostRandom(rng),
                                         into: UnsafeMutableBufferPointer(start: out, count: view.rows * shape(raw).yCols))
            }
        },
        similarity: { raw, batch, truth, out, error in
            reporting(error) {
                guard let batch, let truth, let out else { throw PluginError.argument("similarity: NULL argument") }
                let view = Batch(batch)
                try generator(raw).similarity(batch: view, truth: UnsafeBufferPointer(start: truth, count: view.y.count),
                                              into: UnsafeMutableBufferPointer(start: out, count: view.rows))
            }
        },
        log_likelihood: { raw, model, batch, out, error in
            reporting(error) {
                guard let batch, let out else { throw PluginError.argument("log_likelihood: NULL argument") }
                let view = Batch(batch)
                try generator(raw).logLikelihood(model: text(model), batch: view,
                                                 into: UnsafeMutableBufferPointer(start: out, count: view.rows))
            }
        },
        fit: { raw, model, batch, error in
            reporting(error) {
                guard let batch else { throw PluginError.argument("fit: NULL batch") }
                try generator(raw).fit(model: text(model), batch: Batch(batch))
            }
        },
        forget: { raw, model in
            generator(raw).forget(model: text(model))
        },
        task_vector: { raw, name, out, count, error in
            reporting(error) {
                guard let out else { throw PluginError.argument("task_vector: NULL out") }
                try generator(raw).taskVector(text(name), into: UnsafeMutableBufferPointer(start: out, count: Int(count)))
            }
        }
    ))
    return UnsafePointer(table)
}()
