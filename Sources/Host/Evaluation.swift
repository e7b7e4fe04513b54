import PluginAPI

/// A fresh test set, drawn once, on which models are compared with the true
/// labels and with the Bayes-optimal predictor.
final class Evaluation {
    private let generator: GeneratorInstance
    private let rows: Int
    private let chunkSize: Int
    private let seed: UInt64
    private let threads: Int
    private var x: [Double]
    private var yTrue: [Double]
    /// The Bayes predictor's labels, when the task has a "bayes" model.
    private var yBayes: [Double]?

    var hasBayes: Bool { yBayes != nil }

    struct Score {
        var accuracy: Double
        var agreement: Double?
    }

    /// Draws the test set chunk by chunk on up to `threads` threads; chunk k
    /// comes from its own stream, so the set is the same for any count.
    init(generator: GeneratorInstance, testSize: Int, chunkSize: Int, seed: UInt64, threads: Int) throws {
        self.generator = generator
        rows = testSize
        self.chunkSize = chunkSize
        self.seed = seed
        self.threads = threads
        let (xCols, yCols) = (generator.xCols, generator.yCols)
        let layout = ChunkLayout(poolSize: testSize, chunkSize: chunkSize)
        // Uninitialised: draw writes every element (and zero-filling 80 MB
        // of x was a tenth of a run's fixed cost).
        var y: [Double] = []
        x = try [Double](unsafeUninitializedCapacity: testSize * xCols) { x, xCount in
            y = try [Double](unsafeUninitializedCapacity: testSize * yCols) { y, yCount in
                let (xBase, yBase) = (x.baseAddress!, y.baseAddress!)
                try forEachChunk(count: layout.chunkCount, threads: threads, progress: nil) { chunk in
                    let first = chunk * chunkSize, count = layout.rows(inChunk: chunk)
                    try withRandom(seed: seed, .test(chunk: chunk)) { rng in
                        try generator.draw(rng: rng, count: count,
                                           x: UnsafeMutableBufferPointer(start: xBase + first * xCols, count: count * xCols),
                                           y: UnsafeMutableBufferPointer(start: yBase + first * yCols, count: count * yCols))
                    }
                } merge: { _ in }
                yCount = testSize * yCols
            }
            xCount = testSize * xCols
        }
        yTrue = y
        yBayes = try? labels(model: "bayes")
    }

    /// Accuracy against the truth and agreement with the Bayes predictor.
    func evaluate(model: String) throws -> Score {
        try evaluate(models: [model])[0]
    }

    /// The scores of several models, from one pass over the test set.
    ///
    /// The test set (80 MB at 10⁵ × 100) is much larger than the caches, so
    /// a prediction over all of it runs at memory speed. The pass goes block
    /// by block instead, each block small enough to stay in L2 while every
    /// model predicts it: the set is read from memory once, however many
    /// models there are. Blocks run on the evaluation's threads; each
    /// block's predictions use their own random stream (a PREDICT label is
    /// deterministic anyway), and the per-row similarities are summed in
    /// row order at the end, so scores do not depend on the thread count.
    func evaluate(models: [String]) throws -> [Score] {
        let (xCols, yCols, rows) = (generator.xCols, generator.yCols, self.rows)
        // Per model and row: similarity to the truth, then to the Bayes labels.
        let columns = yBayes == nil ? 1 : 2
        var similarities = [Double](repeating: 0, count: models.count * columns * rows)
        try x.withUnsafeBufferPointer { x in
            try yTrue.withUnsafeBufferPointer { yTrue in
                try (yBayes ?? []).withUnsafeBufferPointer { yBayes in
                    try similarities.withUnsafeMutableBufferPointer { similarities in
                        try forEachBlock { block, first, count in
                            let xs = UnsafeBufferPointer(rebasing: x[(first * xCols)..<((first + count) * xCols)])
                            let labels = UnsafeMutableBufferPointer<Double>.allocate(capacity: count * yCols)
                            defer { labels.deallocate() }
                            for (index, model) in models.enumerated() {
                                labels.initialize(repeating: 0)
                                try predict(model: model, x: xs, rows: count, firstRow: first, block: block, into: labels)
                                for column in 0..<columns {
                                    let reference = column == 0 ? yTrue : yBayes
                                    let into = (index * columns + column) * rows + first
                                    try generator.similarity(
                                        x: xs, y: UnsafeBufferPointer(labels),
                                        truth: UnsafeBufferPointer(rebasing: reference[(first * yCols)..<((first + count) * yCols)]),
                                        rows: count, firstRow: first,
                                        into: UnsafeMutableBufferPointer(rebasing: similarities[into..<(into + count)]))
                                }
                            }
                        }
                    }
                }
            }
        }
        func mean(_ model: Int, _ column: Int) -> Double {
            let start = (model * columns + column) * rows
            return similarities[start..<(start + rows)].reduce(0, +) / Double(rows)
        }
        return models.indices.map { model in
            Score(accuracy: mean(model, 0), agreement: columns == 2 ? mean(model, 1) : nil)
        }
    }

    /// A model's labels for the whole test set, predicted block by block.
    private func labels(model: String) throws -> [Double] {
        let (xCols, yCols) = (generator.xCols, generator.yCols)
        var labels = [Double](repeating: 0, count: rows * yCols)
        try x.withUnsafeBufferPointer { x in
            try labels.withUnsafeMutableBufferPointer { labels in
                try forEachBlock { block, first, count in
                    try predict(model: model, x: UnsafeBufferPointer(rebasing: x[(first * xCols)..<((first + count) * xCols)]),
                                rows: count, firstRow: first, block: block,
                                into: UnsafeMutableBufferPointer(rebasing: labels[(first * yCols)..<((first + count) * yCols)]))
                }
            }
        }
        return labels
    }

    /// Runs `body(block, firstRow, rows)` on each L2-sized block of the test
    /// set, on up to `threads` threads.
    private func forEachBlock(_ body: (Int, Int, Int) throws -> Void) throws {
        let layout = ChunkLayout(poolSize: rows, chunkSize: generator.batchRows)
        try forEachChunk(count: layout.chunkCount, threads: threads, progress: nil) { block in
            try body(block, block * layout.chunkSize, layout.rows(inChunk: block))
        } merge: { _ in }
    }

    private func predict(model: String, x: UnsafeBufferPointer<Double>, rows: Int, firstRow: Int, block: Int,
                         into labels: UnsafeMutableBufferPointer<Double>) throws {
        try withRandom(seed: seed, .evaluate(model, block: block)) { rng in
            try generator.label(model: model, mode: ASSAY_LABEL_PREDICT, x: x, rows: rows, firstRow: firstRow,
                                rng: rng, into: labels)
        }
    }
}
