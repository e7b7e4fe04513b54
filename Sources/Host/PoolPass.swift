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

    struct Outcome {
        var verifierTallies: [Tally]
        var verifierKept: [KeptRows]
        /// No verification: every pair kept. The first rows of the pool
        /// also serve the "clean" baseline, with their true labels.
        var unfilteredTally = Tally()
    }

    /// Keep bits of each verifier for one chunk.
    private struct Judged {
        let chunk: PoolChunk
        let keep: [[UInt8]]
    }

    func run() throws -> Outcome {
        var outcome = Outcome(verifierTallies: Array(repeating: Tally(), count: verifiers.count),
                              verifierKept: Array(repeating: KeptRows(capacity: capacity), count: verifiers.count))
        try forEachChunk(count: source.layout.chunkCount, threads: threads, progress: progress) { index in
            let chunk = try PoolChunk(index: index, source: source)
            return Judged(chunk: chunk, keep: try verifiers.indices.map { try judge(chunk, by: $0) })
        } merge: { judged in
            let chunk = judged.chunk
            for (index, keep) in judged.keep.enumerated() {
                for row in 0..<chunk.rows {
                    outcome.verifierTallies[index].add(similarity: chunk.similarity[row], keep: keep[row] == 1)
                }
                outcome.verifierKept[index].append(firstRow: chunk.firstRow, keep: keep)
            }
            for row in 0..<chunk.rows {
                outcome.unfilteredTally.add(similarity: chunk.similarity[row], keep: true)
            }
        }
        return outcome
    }

    private func judge(_ chunk: PoolChunk, by index: Int) throws -> [UInt8] {
        guard let cut = cuts[index] else {
            return try chunk.keepBits(by: verifiers[index])
        }
        let scores = try chunk.scores(by: verifiers[index])
        return (0..<chunk.rows).map { row in cut.keeps(score: scores[row], row: chunk.firstRow + row) ? 1 : 0 }
    }
}

