/// Which pool rows a selection keeps for retraining: the first `capacity`
/// it keeps, in pool order, as row indices only.
///
/// The pool is i.i.d. and whether a pair is kept depends on that pair alone
/// (or, for top-fraction selection, on a cut fixed before this pass), so
/// the first n kept pairs are an unbiased sample of n kept pairs. Indices
/// cost 8 bytes a pair instead of a row of x; the rows are regenerated
/// when a model is trained (see TrainingSet).
struct KeptRows {
    let capacity: Int
    private(set) var rows: [Int] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { rows.count }

    mutating func append(firstRow: Int, keep: [UInt8]) {
        for (offset, bit) in keep.enumerated() where bit == 1 {
            guard rows.count < capacity else { return }
            rows.append(firstRow + offset)
        }
    }
}

/// The pairs of one selection, materialized for training: x and labels of
/// its kept rows, in pool order.
struct TrainingSet {
    enum Labels {
        /// The generator's y', as the verifiers saw them.
        case synthesized
        /// The true labels (the "clean" baseline).
        case truth
    }

    private(set) var x: [Double] = []
    private(set) var y: [Double] = []

    /// Regenerates the chunks holding `rows` (sorted) and gathers them.
    init(rows: [Int], labels: Labels, source: PoolSource, threads: Int) throws {
        let (layout, generator) = (source.layout, source.generator)
        x.reserveCapacity(rows.count * generator.xCols)
        y.reserveCapacity(rows.count * generator.yCols)
        guard let lastRow = rows.last else { return }
        let xCols = generator.xCols, yCols = generator.yCols
        var next = 0
        try forEachChunk(count: lastRow / layout.chunkSize + 1, threads: threads, progress: nil) { index in
            try PoolChunk(index: index, source: source)
        } merge: { chunk in
            let end = chunk.firstRow + chunk.rows
            while next < rows.count && rows[next] < end {
                let row = rows[next] - chunk.firstRow
                x.append(contentsOf: chunk.x[row * xCols..<(row + 1) * xCols])
                let source = labels == .truth ? chunk.yTrue : chunk.ySynth
                y.append(contentsOf: source[row * yCols..<(row + 1) * yCols])
                next += 1
            }
        }
    }
}
