import Numerics

/// A verifier's measured selection quality, with 95 % intervals.
public struct SelectionScore: Equatable, Codable {
    public struct Interval: Equatable, Codable {
        public var lower: Double
        public var upper: Double
    }

    public var pairs: Int
    public var kept: Int
    /// Generator error on the pool.
    public var p: Double
    /// Keep-rate of good pairs; nil when the pool has no good pair.
    public var phi: Double?
    public var phiInterval: Interval?
    /// Keep-rate of bad pairs; nil when the pool has no bad pair.
    public var psi: Double?
    public var psiInterval: Interval?
    /// Breakdown point 1 / (1 + ψ/ϕ); nil when ϕ and ψ are both zero or undefined.
    public var pStar: Double?
    public var pStarInterval: Interval?

    enum CodingKeys: String, CodingKey {
        case pairs, kept, p, phi, psi
        case phiInterval = "phi_interval", psiInterval = "psi_interval"
        case pStar = "p_star", pStarInterval = "p_star_interval"
    }
}

extension SelectionScore {
    /// Two-sided 95 % normal quantile.
    static let z95 = 1.959963984540054
    /// Normal quantile for two 97.5 % intervals, whose box then covers
    /// (ϕ, ψ) jointly with at least 95 % probability (Bonferroni).
    static let z975 = 2.241402727604947

    /// Scores a tally. ϕ and ψ get Wilson score intervals, treating the
    /// good (bad) mass Σs (Σ(1−s)) as the trials: exact for binary s, an
    /// effective-count approximation for continuous s. p* is increasing in
    /// ϕ and decreasing in ψ, so its interval is the image of the
    /// Bonferroni box of the two 97.5 % Wilson intervals.
    public init(_ tally: Tally) {
        pairs = tally.pairs
        kept = tally.kept
        let n = Double(tally.pairs)
        p = n > 0 ? tally.bad / n : .nan
        if tally.good > 0 {
            phi = tally.goodKept / tally.good
            phiInterval = Interval(wilsonInterval(successes: tally.goodKept, trials: tally.good, z: Self.z95))
        }
        if tally.bad > 0 {
            psi = tally.badKept / tally.bad
            psiInterval = Interval(wilsonInterval(successes: tally.badKept, trials: tally.bad, z: Self.z95))
        }
        pStar = breakdownPoint(phi: phi, psi: psi)
        if let phiBox = tally.good > 0 ? wilsonInterval(successes: tally.goodKept, trials: tally.good, z: Self.z975) : nil,
           let psiBox = tally.bad > 0 ? wilsonInterval(successes: tally.badKept, trials: tally.bad, z: Self.z975) : nil,
           let lower = breakdownPoint(phi: phiBox.lower, psi: psiBox.upper),
           let upper = breakdownPoint(phi: phiBox.upper, psi: psiBox.lower) {
            pStarInterval = Interval(lower: lower, upper: upper)
        }
    }
}

/// p* = 1 / (1 + ψ/ϕ), written ϕ / (ϕ + ψ) so that ϕ = 0 needs no special
/// case; undefined when either rate is, or when nothing is kept.
func breakdownPoint(phi: Double?, psi: Double?) -> Double? {
    guard let phi, let psi, phi + psi > 0 else { return nil }
    return phi / (phi + psi)
}

extension SelectionScore.Interval {
    init(_ bounds: (lower: Double, upper: Double)) {
        self.init(lower: bounds.lower, upper: bounds.upper)
    }
}
