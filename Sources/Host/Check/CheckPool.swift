import Foundation
import PluginAPI

/// The pairs the check judges verifiers on: the first chunks of a pool
/// that the host's own machinery (PoolSource, PoolChunk) makes from a
/// generator, with the truth behind each for the host services.
final class CheckPool {
    static let chunkRows = 256
    static let chunkCount = 6

    let generator: GeneratorInstance
    let seed: UInt64
    let chunks: [PoolChunk]

    init(generator info: PluginInfo, configJSON: String, seed: UInt64, threads: Int) throws {
        generator = try GeneratorInstance(info: info, configJSON: configJSON, threads: threads)
        let generator = self.generator
        try withRandom(seed: seed, .generatorPrepare) { try generator.prepare(rng: $0) }
        self.seed = seed
        let layout = ChunkLayout(poolSize: Self.chunkRows * Self.chunkCount, chunkSize: Self.chunkRows)
        let source = PoolSource(generator: generator, layout: layout, seed: seed)
        chunks = try (0..<layout.chunkCount).map { try PoolChunk(index: $0, source: source) }
    }

    /// Rows `rows` of chunk `index` as the batch a verifier is given in a
    /// run: inputs, synthesized labels and (for truth services) the truth.
    func presenting<Result>(chunk index: Int, rows: Range<Int>? = nil,
                            _ body: (UnsafePointer<assay_batch>) throws -> Result) rethrows -> Result {
        let chunk = chunks[index]
        let rows = rows ?? 0..<chunk.rows
        let (xCols, yCols) = (chunk.xCols, chunk.yCols)
        return try chunk.x.withUnsafeBufferPointer { x in
            try chunk.ySynth.withUnsafeBufferPointer { ySynth in
                try chunk.yTrue.withUnsafeBufferPointer { yTrue in
                    try chunk.similarity.withUnsafeBufferPointer { similarity in
                        let truth = ChunkTruth(yTrue: UnsafeBufferPointer(rebasing: yTrue[rows.lowerBound * yCols ..< rows.upperBound * yCols]),
                                               similarity: UnsafeBufferPointer(rebasing: similarity[rows]))
                        return try withBatch(rows: rows.count, firstRow: chunk.firstRow + rows.lowerBound,
                                             x: UnsafeBufferPointer(rebasing: x[rows.lowerBound * xCols ..< rows.upperBound * xCols]),
                                             xCols: xCols,
                                             y: UnsafeBufferPointer(rebasing: ySynth[rows.lowerBound * yCols ..< rows.upperBound * yCols]),
                                             yCols: yCols, truth: truth, body)
                    }
                }
            }
        }
    }
}

/// Runs `body(t)` on `count` threads of their own at once (not a queue's
/// workers, which may be fewer than asked), and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping (Int) -> Void) {
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            body(index)
            done.leave()
        }
        thread.start()
    }
    done.wait()
}
