import Numerics

/// A pair's place in a top-fraction verifier's ranking: higher scores
/// first, and among equal scores the smaller random tie key first. Tie keys
/// are a hash of (seed, verifier, row), so the order is total, ties are
/// broken uniformly at random, and the order is the same on every pass and
/// for every thread count.
struct Rank: Comparable {
    let score: Double
    let tie: UInt64

    /// `a < b` when a ranks ahead of b.
    static func < (a: Rank, b: Rank) -> Bool {
        a.score > b.score || (a.score == b.score && a.tie < b.tie)
    }
}
