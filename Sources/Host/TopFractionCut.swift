import Numerics

/// Where a top-fraction verifier cuts the pool: keep every pair scoring
/// above `score`, and among the pairs scoring exactly `score` those whose
/// random tie key is at most `tieKey`. Tie keys are a hash of (seed,
/// verifier, row), so exactly round(fraction · N) pairs are kept, ties are
/// broken uniformly at random, and the choice is the same on every pass
/// and thread count.
struct TopFractionCut {
    let score: Double
    let tieKey: UInt64
    private let seed: UInt64
    private let verifierKey: UInt64

    /// Finds the cut from all scores of the pool (indexed by pool row).
    init(scores: [Double], fraction: Double, seed: UInt64, verifier: String) {
        self.seed = seed
        verifierKey = stableHash(verifier)
        let target = min(scores.count, max(0, Int((fraction * Double(scores.count)).rounded())))
        guard target > 0 else {
            (score, tieKey) = (.infinity, 0)
            return
        }
        let cut = scores.sorted(by: >)[target - 1]
        let above = scores.reduce(0) { $0 + ($1 > cut ? 1 : 0) }
        let verifierKey = self.verifierKey
        let tieKeys = scores.indices.filter { scores[$0] == cut }
            .map { hashKeys(seed, [verifierKey, UInt64($0)]) }
            .sorted()
        score = cut
        tieKey = tieKeys[target - above - 1]
    }

    func keeps(score value: Double, row: Int) -> Bool {
        value > score || (value == score && hashKeys(seed, [verifierKey, UInt64(row)]) <= tieKey)
    }
}
