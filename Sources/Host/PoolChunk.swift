import Foundation
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
    /// Gives the arrays back to `ChunkBuffers.shared` when the last copy of
    /// the chunk goes.
    private var recycler: ChunkRecycler?

    init(index: Int, source: PoolSource) throws {
        let (layout, generator, seed) = (source.layout, source.generator, source.seed)
        self.index = index
        self.seed = seed
        model = source.model
        firstRow = index * layout.chunkSize
        rows = layout.rows(inChunk: index)
        xCols = generator.xCols
        yCols = generator.yCols
        // x comes back from an earlier chunk as it was: draw writes every
        // element. The small arrays are cleared, so that a plugin that
        // leaves an output unwritten is caught as before, not fed stale data.
        x = ChunkBuffers.shared.take(count: rows * generator.xCols)
        yTrue = ChunkBuffers.shared.take(count: rows * generator.yCols, zeroed: true)
        ySynth = ChunkBuffers.shared.take(count: rows * generator.yCols, zeroed: true)
        similarity = ChunkBuffers.shared.take(count: rows, zeroed: true)
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
        // Last: the recycler shares the arrays, and filling them after this
        // would copy them.
        recycler = ChunkRecycler([x, yTrue, ySynth, similarity])
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

/// Chunk arrays kept for reuse, so that a pass over the pool does not
/// allocate and zero-fill fresh memory for every chunk: that cost a memset
/// of every x (~5 % of the pass) and, whenever malloc handed the memory back
/// to the kernel in between, page faults on all of it.
///
/// Arrays are matched by element count; a few are kept, enough for the
/// chunks a pass has in flight, so that memory stays bounded.
final class ChunkBuffers: @unchecked Sendable {  // `free` is guarded by `lock`
    static let shared = ChunkBuffers()

    private let lock = NSLock()
    private var free: [[Double]] = []
    private let limit = 16

    /// An array of `count` elements: a kept one (holding old values unless
    /// `zeroed`) or a fresh one of zeros.
    func take(count: Int, zeroed: Bool = false) -> [Double] {
        let reused: [Double]? = lock.withLock {
            guard let index = free.lastIndex(where: { $0.count == count }) else { return nil }
            return free.remove(at: index)
        }
        guard var array = reused else { return [Double](repeating: 0, count: count) }
        if zeroed { array.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        return array
    }

    /// Keeps `arrays` for later chunks, dropping the oldest beyond the limit.
    func give(_ arrays: [[Double]]) {
        lock.withLock {
            free.append(contentsOf: arrays)
            if free.count > limit { free.removeFirst(free.count - limit) }
        }
    }
}

/// Returns a chunk's arrays to `ChunkBuffers.shared` when the chunk's last
/// copy is dropped. Until then the chunk's own references keep them alive;
/// once they are gone the kept arrays are uniquely referenced again, so the
/// next chunk fills them in place (copy-on-write would copy any still shared).
private final class ChunkRecycler {
    private let arrays: [[Double]]

    init(_ arrays: [[Double]]) {
        self.arrays = arrays
    }

    deinit {
        ChunkBuffers.shared.give(arrays)
    }
}
