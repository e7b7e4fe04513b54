import PluginAPI

/// A fresh test set, drawn once, on which models are compared with the true
/// labels and with the Bayes-optimal predictor.
final class Evaluation {
    private let generator: GeneratorInstance
    private let rows: Int
    private let chunkSize: Int
    private let seed: UInt64
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
        yBayes = try? predict(model: "bayes")
    }

    /// Accuracy against the truth and agreement with the Bayes predictor.
    func evaluate(model: String) throws -> Score {
        let predicted = try predict(model: model)
        let accuracy = try meanSimilarity(predicted, yTrue)
        let agreement = try yBayes.map { try meanSimilarity(predicted, $0) }
        return Score(accuracy: accuracy, agreement: agreement)
    }

    private func predict(model: String) throws -> [Double] {
        var labels = [Double](repeating: 0, count: rows * generator.yCols)
        try x.withUnsafeBufferPointer { x in
            try labels.withUnsafeMutableBufferPointer { out in
                try withRandom(seed: seed, .evaluate(model)) { rng in
                    try generator.label(model: model, mode: ASSAY_LABEL_PREDICT, x: x, rows: rows, firstRow: 0,
                                        rng: rng, into: out)
                }
            }
        }
        return labels
    }

    private func meanSimilarity(_ labels: [Double], _ reference: [Double]) throws -> Double {
        var s = [Double](repeating: 0, count: rows)
        try x.withUnsafeBufferPointer { x in
            try labels.withUnsafeBufferPointer { labels in
                try reference.withUnsafeBufferPointer { reference in
                    try s.withUnsafeMutableBufferPointer { s in
                        try generator.similarity(x: x, y: labels, truth: reference, rows: rows, firstRow: 0, into: s)
                    }
                }
            }
        }
        return s.reduce(0, +) / Double(rows)
    }
}
