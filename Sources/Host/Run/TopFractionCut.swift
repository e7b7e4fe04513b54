import Numerics

/// Where a top-fraction verifier cuts the pool: the pairs ranking at or
/// ahead of `last` are kept, exactly round(fraction · N) of them.
struct TopFractionCut {
    /// The last pair kept; nil when nothing is kept.
    private(set) var last: Rank?
    private let seed: UInt64
    private let verifierKey: UInt64

    init(last: Rank?, seed: UInt64, verifier: String) {
        self.last = last
        self.seed = seed
        verifierKey = stableHash(verifier)
    }

    func rank(score: Double, row: Int) -> Rank {
        Rank(score: score, tie: hashKeys(seed, [verifierKey, UInt64(row)]))
    }

    /// The same ranking, cut after `last`.
    func cutting(after last: Rank) -> TopFractionCut {
        var cut = self
        cut.last = last
        return cut
    }

    func keeps(score: Double, row: Int) -> Bool {
        guard let last else { return false }
        return rank(score: score, row: row) <= last
    }
}

extension TopFractionCut {
    /// The cut for scores already in memory, indexed by row: one scan.
    init(scores: [Double], fraction: Double, seed: UInt64, verifier: String) {
        var search = TopFractionSearch(fraction: fraction, poolSize: scores.count, seed: seed, verifier: verifier,
                                       sampleSize: max(scores.count, 1))
        for (row, score) in scores.enumerated() { search.visit(row: row, score: score) }
        search.endScan()
        self = search.cut!
    }
}
