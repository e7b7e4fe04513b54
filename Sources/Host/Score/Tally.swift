import Numerics

/// Running sums over a pool from which p, ϕ and ψ follow (Appendix C of the
/// paper): with similarity s ∈ [0, 1] and keep bit q,
///   p = 1 − E[s],  ϕ = E[q·s] / (1 − p),  ψ = E[q·(1 − s)] / p.
/// Sums, not means, so that chunks merge exactly by addition.
public struct Tally: Equatable {
    public var pairs = 0
    public var kept = 0
    /// Σ s: the "good" mass of the pool.
    public var good = 0.0
    /// Σ q·s: good mass kept.
    public var goodKept = 0.0
    /// Σ q·(1 − s): bad mass kept.
    public var badKept = 0.0

    public init() {}

    public mutating func add(similarity s: Double, keep: Bool) {
        pairs += 1
        good += s
        if keep {
            kept += 1
            goodKept += s
            badKept += 1 - s
        }
    }

    public mutating func merge(_ other: Tally) {
        pairs += other.pairs
        kept += other.kept
        good += other.good
        goodKept += other.goodKept
        badKept += other.badKept
    }

    /// Σ (1 − s).
    public var bad: Double { Double(pairs) - good }
}
