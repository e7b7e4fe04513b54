import Numerics
import PluginAPI

/// A generator instance: the task, its models and the learner.
public final class GeneratorInstance: PluginInstance {
    private let calls: assay_generator
    public private(set) var xCols = 0
    public private(set) var yCols = 0

    /// `threads`: the run's thread count, the most one call may keep busy.
    public init(info: PluginInfo, configJSON: String, threads: Int) throws {
        calls = info.table.pointee.generator.pointee
        try super.init(info: info, name: info.id, configJSON: configJSON, generator: nil, threads: threads)
    }

    public func prepare(rng: UnsafeMutablePointer<assay_random>) throws {
        var x: UInt64 = 0, y: UInt64 = 0
        try call("prepare") { calls.prepare(raw, rng, &x, &y, $0) }
        guard x > 0, y > 0 else { throw failure("prepare: reported shape \(x) × \(y); expected positive column counts") }
        xCols = Int(x)
        yCols = Int(y)
    }

    /// Draws `count` clean samples into `x` and `y`, from `rng` in order.
    ///
    /// In calls of at most `batchValues` x values, each checked as soon as
    /// it is drawn: a pool chunk's x is several MB, and checking it whole
    /// read it back from L3; a batch this size is still in L2.
    public func draw(rng: UnsafeMutablePointer<assay_random>, count: Int,
              x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>) throws {
        precondition(x.count >= count * xCols && y.count >= count * yCols)
        let batchRows = self.batchRows
        var start = 0
        while start < count {
            let rows = min(batchRows, count - start)
            let xs = UnsafeMutableBufferPointer(rebasing: x[start * xCols ..< (start + rows) * xCols])
            let ys = UnsafeMutableBufferPointer(rebasing: y[start * yCols ..< (start + rows) * yCols])
            try call("draw") { calls.draw(raw, rng, UInt64(rows), xs.baseAddress, ys.baseAddress, $0) }
            try requireFinite(xs, "draw: x", from: start * xCols)
            try requireFinite(ys, "draw: y", from: start * yCols)
            start += rows
        }
    }

    /// Rows of a batch that stays in L2: at most 512 KiB of x (half of L2
    /// on this project's machines), at least one row.
    var batchRows: Int { max(1, (1 << 16) / xCols) }

    /// Rows of the blocks a pool chunk of `chunkRows` rows is made in (see
    /// `PoolChunk`): `batchRows`, so that every call on a block finds its x
    /// in L2, unless the whole chunk's x fits in L2 (two batches, 1 MiB).
    func pipelineRows(chunkRows: Int) -> Int {
        chunkRows <= 2 * batchRows ? max(1, chunkRows) : batchRows
    }

    /// Labels the rows of `x` with `model` into `y` (rows × yCols).
    public func label(model: String, mode: Int, x: UnsafeBufferPointer<Double>, rows: Int, firstRow: Int,
               rng: UnsafeMutablePointer<assay_random>, into y: UnsafeMutableBufferPointer<Double>) throws {
        try withBatch(rows: rows, firstRow: firstRow, x: x, xCols: xCols, y: nil, yCols: yCols) { batch in
            try call("label with model \"\(model)\"") { error in
                model.withCString { calls.label(raw, $0, assay_label_mode(mode), batch, rng, y.baseAddress, error) }
            }
        }
        try requireFinite(UnsafeMutableBufferPointer(rebasing: y[0..<rows * yCols]), "label: y")
    }

    /// Similarity of labels `y` to `truth`, both rows × yCols, into `s`.
    public func similarity(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, truth: UnsafeBufferPointer<Double>,
                    rows: Int, firstRow: Int, into s: UnsafeMutableBufferPointer<Double>) throws {
        try withBatch(rows: rows, firstRow: firstRow, x: x, xCols: xCols, y: y, yCols: yCols) { batch in
            try call("similarity") { calls.similarity(raw, batch, truth.baseAddress, s.baseAddress, $0) }
        }
        for row in 0..<rows where !(s[row] >= 0 && s[row] <= 1) {
            throw failure("similarity: value \(s[row]) at row \(firstRow + row); expected a number in [0, 1]")
        }
    }

    public func logLikelihood(model: String, batch: UnsafePointer<assay_batch>, into out: UnsafeMutableBufferPointer<Double>) throws {
        try call("log_likelihood under \"\(model)\"") { error in
            model.withCString { calls.log_likelihood(raw, $0, batch, out.baseAddress, error) }
        }
    }

    func fit(model: String, x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, rows: Int) throws {
        try withBatch(rows: rows, firstRow: 0, x: x, xCols: xCols, y: y, yCols: yCols) { batch in
            try call("fit \"\(model)\" on \(rows) pairs") { error in
                model.withCString { calls.fit(raw, $0, batch, error) }
            }
        }
    }

    func forget(model: String) {
        model.withCString { calls.forget(raw, $0) }
    }

    public func taskVector(_ name: String, into out: UnsafeMutableBufferPointer<Double>) throws {
        try call("task_vector \"\(name)\"") { error in
            name.withCString { calls.task_vector(raw, $0, out.baseAddress, UInt64(out.count), error) }
        }
    }

    /// Throws if a value is inf or NaN, naming its index: `from` plus its
    /// position in `values`.
    private func requireFinite(_ values: UnsafeMutableBufferPointer<Double>, _ what: String, from first: Int = 0) throws {
        // One SIMD pass (Numerics.allFinite); the element is looked for only on failure.
        if !allFinite(UnsafeBufferPointer(values)), let index = values.firstIndex(where: { !$0.isFinite }) {
            throw failure("\(what) holds \(values[index]) at element \(first + index); expected finite numbers")
        }
    }
}
