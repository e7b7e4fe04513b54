import PluginAPI

/// A fresh test set, drawn once, on which models are compared with the true
/// labels and with the Bayes-optimal predictor.
final class Evaluation {
    private let generator: GeneratorInstance
    private let rows: Int
    private let seed: UInt64
    private let threads: Int
    /// The test set, row-major, and its true labels; owned, freed in deinit.
    private let x: UnsafeMutableBufferPointer<Double>
    private let yTrue: UnsafeMutableBufferPointer<Double>
    /// The Bayes predictor's labels, when the task has a "bayes" model.
    private var yBayes: UnsafeMutableBufferPointer<Double>?

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
        self.seed = seed
        self.threads = threads
        let (xCols, yCols) = (generator.xCols, generator.yCols)
        // Uninitialised: draw writes every element (and zero-filling 80 MB
        // of x was a tenth of a run's fixed cost).
        x = .allocate(capacity: testSize * xCols)
        yTrue = .allocate(capacity: testSize * yCols)
        let (x, yTrue) = (x, yTrue)
        let layout = ChunkLayout(poolSize: testSize, chunkSize: chunkSize)
        try forEachChunk(count: layout.chunkCount, threads: threads, progress: nil) { chunk in
            let first = chunk * chunkSize, count = layout.rows(inChunk: chunk)
            try withRandom(seed: seed, .test(chunk: chunk)) { rng in
                try generator.draw(rng: rng, count: count,
                                   x: UnsafeMutableBufferPointer(rebasing: x[(first * xCols)..<((first + count) * xCols)]),
                                   y: UnsafeMutableBufferPointer(rebasing: yTrue[(first * yCols)..<((first + count) * yCols)]))
            }
        } merge: { _ in }
        let bayes = UnsafeMutableBufferPointer<Double>.allocate(capacity: testSize * yCols)
        bayes.initialize(repeating: 0)
        if (try? predictAll(model: "bayes", into: bayes)) != nil { yBayes = bayes } else { bayes.deallocate() }
    }

    deinit {
        x.deallocate()
        yTrue.deallocate()
        yBayes?.deallocate()
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
        let yCols = generator.yCols
        // Per model, the similarity of each row's label to the truth, and
        // to the Bayes label when there is one.
        let references = [yTrue] + (yBayes.map { [$0] } ?? [])
        var similarities = [Double](repeating: 0, count: models.count * references.count * rows)
        try similarities.withUnsafeMutableBufferPointer { similarities in
            try forEachBlock { block, first, count, xs in
                let labels = UnsafeMutableBufferPointer<Double>.allocate(capacity: count * yCols)
                defer { labels.deallocate() }
                for (index, model) in models.enumerated() {
                    labels.initialize(repeating: 0)
                    try predict(model: model, x: xs, rows: count, firstRow: first, block: block, into: labels)
                    for (column, reference) in references.enumerated() {
                        let into = (index * references.count + column) * rows + first
                        try generator.similarity(
                            x: xs, y: UnsafeBufferPointer(labels),
                            truth: UnsafeBufferPointer(rebasing: reference[(first * yCols)..<((first + count) * yCols)]),
                            rows: count, firstRow: first,
                            into: UnsafeMutableBufferPointer(rebasing: similarities[into..<(into + count)]))
                    }
                }
            }
        }
        func mean(_ model: Int, _ column: Int) -> Double {
            let start = (model * references.count + column) * rows
            return similarities[start..<(start + rows)].reduce(0, +) / Double(rows)
        }
        return models.indices.map { model in
            Score(accuracy: mean(model, 0), agreement: references.count == 2 ? mean(model, 1) : nil)
        }
    }

    /// A model's labels for the whole test set, predicted block by block.
    private func predictAll(model: String, into labels: UnsafeMutableBufferPointer<Double>) throws {
        let yCols = generator.yCols
        try forEachBlock { block, first, count, xs in
            try predict(model: model, x: xs, rows: count, firstRow: first, block: block,
                        into: UnsafeMutableBufferPointer(rebasing: labels[(first * yCols)..<((first + count) * yCols)]))
        }
    }

    /// Runs `body(block, firstRow, rows, x)` on each L2-sized block of the
    /// test set, on up to `threads` threads.
    private func forEachBlock(_ body: (Int, Int, Int, UnsafeBufferPointer<Double>) throws -> Void) throws {
        let layout = ChunkLayout(poolSize: rows, chunkSize: generator.batchRows)
        let xCols = generator.xCols
        try forEachChunk(count: layout.chunkCount, threads: threads, progress: nil) { block in
            let first = block * layout.chunkSize, count = layout.rows(inChunk: block)
            try body(block, first, count, UnsafeBufferPointer(rebasing: x[(first * xCols)..<((first + count) * xCols)]))
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
