import PluginAPI

/// Where a pool's chunks come from: the task, how the pool splits, the
/// seed its random streams derive from, and the model that labels it
/// ("generator" in an ordinary run; a retrained model in later rounds).
struct PoolSource {
    let generator: GeneratorInstance
    let layout: ChunkLayout
    let seed: UInt64
    var model = "generator"
}

/// One chunk of the synthesized pool: inputs, their true labels, the
/// generator's labels y' and the similarity s of y' to the truth.
///
/// Chunks are regenerated rather than stored: chunk k is a pure function of
/// (seed, k), so memory stays bounded by the chunk size whatever the pool
/// size, and a second pass over the pool sees exactly the same pairs.
struct PoolChunk {
    let index: Int
    let firstRow: Int
    let rows: Int
    let xCols: Int
    let yCols: Int
    var x: [Double]
    var yTrue: [Double]
    var ySynth: [Double]
    var similarity: [Double]
    /// The random streams of verify calls derive from it.
    let seed: UInt64
    /// The model that labelled the chunk, which host services call "generator".
    let model: String

    init(index: Int, source: PoolSource) throws {
        let (layout, generator, seed) = (source.layout, source.generator, source.seed)
        self.index = index
        self.seed = seed
        model = source.model
        firstRow = index * layout.chunkSize
        rows = layout.rows(inChunk: index)
        xCols = generator.xCols
        yCols = generator.yCols
        x = [Double](repeating: 0, count: rows * generator.xCols)
        yTrue = [Double](repeating: 0, count: rows * generator.yCols)
        ySynth = yTrue
        similarity = [Double](repeating: 0, count: rows)
        let (rows, firstRow) = (self.rows, self.firstRow)
        try x.withUnsafeMutableBufferPointer { x in
            try yTrue.withUnsafeMutableBufferPointer { y in
                try withRandom(seed: seed, .draw(chunk: index)) { try generator.draw(rng: $0, count: rows, x: x, y: y) }
            }
        }
        try x.withUnsafeBufferPointer { x in
            try ySynth.withUnsafeMutableBufferPointer { out in
                try withRandom(seed: seed, .label(chunk: index)) { rng in
                    try generator.label(model: source.model, mode: ASSAY_LABEL_SYNTHESIZE, x: x, rows: rows,
                                        firstRow: firstRow, rng: rng, into: out)
                }
            }
            try ySynth.withUnsafeBufferPointer { ySynth in
                try yTrue.withUnsafeBufferPointer { yTrue in
                    try similarity.withUnsafeMutableBufferPointer { s in
                        try generator.similarity(x: x, y: ySynth, truth: yTrue, rows: rows, firstRow: firstRow, into: s)
                    }
                }
            }
        }
    }

    /// A rule verifier's keep bits for the chunk.
    func keepBits(by verifier: VerifierInstance) throws -> [UInt8] {
        try judged(by: verifier, filling: 0, with: verifier.keep)
    }

    /// A top-fraction verifier's scores for the chunk.
    func scores(by verifier: VerifierInstance) throws -> [Double] {
        try judged(by: verifier, filling: 0, with: verifier.score)
    }

    /// One verify call on the chunk, from the chunk's own random stream: the
    /// same answer on every pass over the pool.
    private func judged<Value>(by verifier: VerifierInstance, filling zero: Value,
                               with verify: (UnsafePointer<assay_batch>, UnsafeMutablePointer<assay_random>,
                                             UnsafeMutableBufferPointer<Value>) throws -> Void) throws -> [Value] {
        var values = [Value](repeating: zero, count: rows)
        try withVerifierBatch { batch in
            try withRandom(seed: seed, .verify(verifier.name, chunk: index)) { rng in
                try values.withUnsafeMutableBufferPointer { try verify(batch, rng, $0) }
            }
        }
        return values
    }

    /// Presents the chunk's synthesized pairs to a verifier, with the truth
    /// behind them reachable by the host services.
    private func withVerifierBatch<Result>(_ body: (UnsafePointer<assay_batch>) throws -> Result) rethrows -> Result {
        try x.withUnsafeBufferPointer { x in
            try ySynth.withUnsafeBufferPointer { y in
                try yTrue.withUnsafeBufferPointer { yTrue in
                    try similarity.withUnsafeBufferPointer { s in
                        try withBatch(rows: rows, firstRow: firstRow, x: x, xCols: xCols, y: y, yCols: yCols,
                                      truth: ChunkTruth(yTrue: yTrue, similarity: s, synthesizer: model), body)
                    }
                }
            }
        }
    }
}

/// How a pool of `poolSize` rows splits into chunks.
struct ChunkLayout {
    let poolSize: Int
    let chunkSize: Int

    var chunkCount: Int { (poolSize + chunkSize - 1) / chunkSize }

    func rows(inChunk index: Int) -> Int {
        min(chunkSize, poolSize - index * chunkSize)
    }
}
