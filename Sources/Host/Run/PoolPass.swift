import Foundation
import Numerics

/// The pass over the synthesized pool: every verifier judges every chunk,
/// tallies accumulate, and the first kept pairs of each selection are
/// retained for retraining.
struct PoolPass {
    let source: PoolSource
    let threads: Int
    let verifiers: [VerifierInstance]
    /// Cuts of the top-fraction verifiers, by verifier index.
    let cuts: [Int: TopFractionCut]
    /// Rows to retain per selection: the largest n'.
    let capacity: Int
    let progress: ProgressBar?

    /// Whether the retained rows' pairs are copied out as well (KeptRows.pairs):
    /// when the sets the pass fills (one per verifier, and the unfiltered
    /// one) fit in `Retrainer.trainingMemory` together. That saves
    /// regenerating the chunks that hold them, several times over when
    /// selections share chunks, but holds every set at once.
    var gathering: Bool {
        capacity > 0
            && capacity * (verifiers.count + 1) * TrainingSet.bytesPerRow(source.generator) <= Retrainer.trainingMemory
    }

    struct Outcome {
        var verifierTallies: [Tally]
        var verifierKept: [KeptRows]
        /// No verification: every pair kept. The first rows of the pool
        /// also serve the "clean" baseline, with their true labels.
        var unfilteredTally = Tally()
        var unfilteredKept: KeptRows
    }

    /// Keep bits and tallies of each verifier for one chunk.
    private struct Judged {
        let firstRow: Int
        let rows: Int
        let keep: [[UInt8]]
        let tallies: [Tally]
        let unfiltered: Tally
        /// The chunk itself, while its kept pairs are being gathered.
        let chunk: PoolChunk?
    }

    func run() throws -> Outcome {
        let (xCols, yCols) = (source.generator.xCols, source.generator.yCols)
        func kept() -> KeptRows { KeptRows(capacity: capacity, gathering: gathering, xCols: xCols, yCols: yCols) }
        var outcome = Outcome(verifierTallies: Array(repeating: Tally(), count: verifiers.count),
                              verifierKept: verifiers.map { _ in kept() }, unfilteredKept: kept())
        // A chunk handed to the merge stays out of `ChunkBuffers` until its
        // kept pairs are copied, so its worker draws the next chunk into
        // colder memory: the chunks go along only while some selection
        // still gathers pairs.
        let gathers = Flag(gathering)
        let copies = PendingCopies()
        // Each chunk is tallied by the worker that judged it; the merge,
        // which runs in chunk order on one thread, only adds the chunk's
        // tallies and decides where its kept pairs go. The sums therefore
        // group by chunk whatever the thread count. The copies themselves
        // are made by the workers, before their next chunk.
        try forEachChunk(count: source.layout.chunkCount, threads: threads, progress: progress) { index in
            copies.make()
            let chunk = try PoolChunk(index: index, source: source, verifiers: verifiers)
            let keep = verifiers.indices.map { keepBits(of: chunk, by: $0) }
            return chunk.similarity.withUnsafeBufferPointer { similarity in
                Judged(firstRow: chunk.firstRow, rows: chunk.rows, keep: keep,
                       tallies: keep.map { Self.tally(similarity, keep: $0) },
                       unfiltered: Self.tally(similarity, keep: nil), chunk: gathers.value ? chunk : nil)
            }
        } merge: { judged in
            var slots: [(TrainingSet, [TrainingSet.Slot])] = []
            func take(_ kept: inout KeptRows, keep: [UInt8]?) {
                let taken = kept.take(firstRow: judged.firstRow, rowCount: judged.rows, keep: keep)
                if let pairs = kept.pairs, !taken.isEmpty { slots.append((pairs, taken)) }
            }
            for (index, keep) in judged.keep.enumerated() {
                outcome.verifierTallies[index].merge(judged.tallies[index])
                take(&outcome.verifierKept[index], keep: keep)
            }
            outcome.unfilteredTally.merge(judged.unfiltered)
            take(&outcome.unfilteredKept, keep: nil)
            if let chunk = judged.chunk, !slots.isEmpty { copies.add(slots, of: chunk) }
            if outcome.unfilteredKept.isFull && outcome.verifierKept.allSatisfy(\.isFull) { gathers.value = false }
        }
        // Copies left when the last worker stopped.
        copies.make()
        return outcome
    }

    /// The tally of one chunk's rows; every row kept when `keep` is nil.
    ///
    /// The same sums as `Tally.add` row by row, in SIMD and without its
    /// branch on the keep bit (which mispredicts on every other row of a
    /// verifier that keeps a fraction of them): a dropped row adds 0 to the
    /// kept sums. The rows are summed in eight interleaved partial sums
    /// (`keepSums`), an order fixed by the row count alone.
    private static func tally(_ similarity: UnsafeBufferPointer<Double>, keep: [UInt8]?) -> Tally {
        let sums = keep.map { keep in keep.withUnsafeBufferPointer { keepSums(similarity: similarity, keep: $0) } }
            ?? keepSums(similarity: similarity, keep: nil)
        var tally = Tally()
        tally.pairs = similarity.count
        tally.kept = sums.kept
        tally.good = sums.good
        tally.goodKept = sums.goodKept
        tally.badKept = sums.badKept
        return tally
    }

    /// Verifier `index`'s keep bits for the chunk: its own, or its scores
    /// against its cut.
    private func keepBits(of chunk: PoolChunk, by index: Int) -> [UInt8] {
        switch chunk.verdicts[index] {
        case .keep(let bits):
            return bits
        case .scores(let scores):
            guard let cut = cuts[index] else {
                preconditionFailure("top-fraction verifier \(verifiers[index].name) judged without its cut")
            }
            return (0..<chunk.rows).map { row in cut.keeps(score: scores[row], row: chunk.firstRow + row) ? 1 : 0 }
        }
    }
}

/// Copies of kept pairs into training sets: decided by the pool pass's
/// merge, made by its workers (any of them, in any order: each slot is
/// written once).
private final class PendingCopies: @unchecked Sendable {  // `jobs` is guarded by `lock`
    private let lock = NSLock()
    private var jobs: [(chunk: PoolChunk, slots: [(TrainingSet, [TrainingSet.Slot])])] = []

    func add(_ slots: [(TrainingSet, [TrainingSet.Slot])], of chunk: PoolChunk) {
        lock.withLock { jobs.append((chunk, slots)) }
    }

    /// Makes the pending copies, a chunk's at a time, until none is left.
    func make() {
        while let job = lock.withLock({ jobs.isEmpty ? nil : jobs.removeFirst() }) {
            for (set, slots) in job.slots { set.copy(slots, of: job.chunk) }
        }
    }
}

/// A Bool that the pool pass's workers read while its merge may clear it.
private final class Flag: @unchecked Sendable {  // `stored` is guarded by `lock`
    private let lock = NSLock()
    private var stored: Bool

    init(_ value: Bool) {
        stored = value
    }

    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
