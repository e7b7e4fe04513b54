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
/// generator's labels y', the similarity s of y' to the truth, and the
/// verdicts of the verifiers it was made for.
///
/// Chunks are regenerated rather than stored: chunk k is a pure function of
/// (seed, k), so memory stays bounded by the chunk size whatever the pool
/// size, and a second pass over the pool sees exactly the same pairs.
///
/// A chunk is made in blocks (`GeneratorInstance.pipelineRows`): each block
/// is drawn, labelled, compared with the truth and judged by every verifier
/// before the next is drawn, so that the labelling and verifying passes over
/// x (a dgemv each, for a linear model or pruner) read it from L2. Over the
/// whole chunk, x had left L2 before they ran, and read from a shared L3
/// they cost twice as much, more when other programs use that L3. Each call
/// continues its chunk's random stream where the block before it stopped.
struct PoolChunk {
    /// A verifier's verdict on every row of the chunk.
    enum Verdict {
        /// Rule mode: keep bits, each checked to be 0 or 1.
        case keep([UInt8])
        /// Top-fraction mode: scores, each checked to be finite; the cut is
        /// the caller's.
        case scores([Double])
    }

    let index: Int
    let firstRow: Int
    let rows: Int
    let xCols: Int
    let yCols: Int
    var x: [Double]
    var yTrue: [Double]
    var ySynth: [Double]
    var similarity: [Double]
    /// One per verifier the chunk was made for, in their order.
    private(set) var verdicts: [Verdict] = []
    /// Gives the arrays back to `ChunkBuffers.shared` when the last copy of
    /// the chunk goes.
    private var recycler: ChunkRecycler?

    /// Chunk `index` of `source`'s pool, judged by `verifiers` (each in its
    /// own mode) as it is made.
    init(index: Int, source: PoolSource, verifiers: [VerifierInstance] = []) throws {
        let (layout, generator, seed) = (source.layout, source.generator, source.seed)
        self.index = index
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
        let (rows, firstRow, xCols, yCols) = (self.rows, self.firstRow, self.xCols, self.yCols)
        var keep = verifiers.map { $0.mode == .rule ? [UInt8](repeating: 0, count: rows) : [] }
        var scores = verifiers.map { $0.mode == .rule ? [] : [Double](repeating: 0, count: rows) }

        let draw = OpenStream(seed: seed, .draw(chunk: index))
        let label = OpenStream(seed: seed, .label(chunk: index))
        let verify = verifiers.map { OpenStream(seed: seed, .verify($0.name, chunk: index)) }
        let blockRows = generator.pipelineRows(chunkRows: rows)
        try x.withUnsafeMutableBufferPointer { x in
            try yTrue.withUnsafeMutableBufferPointer { yTrue in
                try ySynth.withUnsafeMutableBufferPointer { ySynth in
                    try similarity.withUnsafeMutableBufferPointer { similarity in
                        for start in stride(from: 0, to: rows, by: blockRows) {
                            let block = start..<min(start + blockRows, rows)
                            let x = Self.rows(block, of: x, cols: xCols), yTrue = Self.rows(block, of: yTrue, cols: yCols)
                            let ySynth = Self.rows(block, of: ySynth, cols: yCols), similarity = Self.rows(block, of: similarity, cols: 1)
                            let first = firstRow + block.lowerBound
                            try generator.draw(rng: draw.random, count: block.count, x: x, y: yTrue)
                            try generator.label(model: source.model, mode: ASSAY_LABEL_SYNTHESIZE, x: UnsafeBufferPointer(x),
                                                rows: block.count, firstRow: first, rng: label.random, into: ySynth)
                            try generator.similarity(x: UnsafeBufferPointer(x), y: UnsafeBufferPointer(ySynth),
                                                     truth: UnsafeBufferPointer(yTrue), rows: block.count, firstRow: first,
                                                     into: similarity)
                            // The truth behind the pairs, for host services a verifier calls.
                            let truth = ChunkTruth(yTrue: UnsafeBufferPointer(yTrue), similarity: UnsafeBufferPointer(similarity),
                                                   synthesizer: source.model)
                            try withBatch(rows: block.count, firstRow: first, x: UnsafeBufferPointer(x), xCols: xCols,
                                          y: UnsafeBufferPointer(ySynth), yCols: yCols, truth: truth) { batch in
                                for (v, verifier) in verifiers.enumerated() {
                                    if verifier.mode == .rule {
                                        try keep[v].withUnsafeMutableBufferPointer { keep in
                                            try verifier.keep(batch: batch, rng: verify[v].random, into: Self.rows(block, of: keep, cols: 1))
                                        }
                                    } else {
                                        try scores[v].withUnsafeMutableBufferPointer { scores in
                                            try verifier.score(batch: batch, rng: verify[v].random, into: Self.rows(block, of: scores, cols: 1))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        verdicts = verifiers.indices.map { verifiers[$0].mode == .rule ? .keep(keep[$0]) : .scores(scores[$0]) }
        // Last: the recycler shares the arrays, and filling them after this
        // would copy them.
        recycler = ChunkRecycler([x, yTrue, ySynth, similarity])
    }

    /// Rows `block` of a row-major buffer with `cols` columns.
    private static func rows<Element>(_ block: Range<Int>, of buffer: UnsafeMutableBufferPointer<Element>,
                                      cols: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(rebasing: buffer[(block.lowerBound * cols)..<(block.upperBound * cols)])
    }
}

/// How a pool of `poolSize` rows splits into chunks.
public struct ChunkLayout {
    public let poolSize: Int
    public let chunkSize: Int

    public init(poolSize: Int, chunkSize: Int) {
        self.poolSize = poolSize
        self.chunkSize = chunkSize
    }

    public var chunkCount: Int { (poolSize + chunkSize - 1) / chunkSize }

    public func rows(inChunk index: Int) -> Int {
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
