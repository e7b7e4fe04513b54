/// Running mean and co-moment matrix of the audited rows' vectors in one
/// stratum (Welford's update, generalised to vectors), so the stratified
/// estimators need no per-row memory: n, d means and d² co-moments.
///
/// The vector of a row with similarity s and keep bits q₁…q_k is
/// y = (s, q₁s, q₁(1 − s), …, q_k s, q_k(1 − s)): ϕ, ψ, p and p* are all
/// ratios of its means (see AuditEstimator).
public struct StratumMoments: Sendable, Equatable {
    public let dimension: Int
    public private(set) var count = 0
    public private(set) var mean: [Double]
    /// Σ (y − ȳ)(y − ȳ)ᵀ, row-major d × d.
    public private(set) var comoment: [Double]

    public init(dimension: Int) {
        self.dimension = dimension
        mean = [Double](repeating: 0, count: dimension)
        comoment = [Double](repeating: 0, count: dimension * dimension)
    }

    /// The vector of one audited row (see the type comment).
    public static func vector(similarity s: Double, pattern: UInt64, verifiers: Int, into y: inout [Double]) {
        y[0] = s
        for v in 0..<verifiers {
            let q = Double((pattern >> UInt64(v)) & 1)
            y[1 + 2 * v] = q * s
            y[2 + 2 * v] = q * (1 - s)
        }
    }

    public mutating func add(_ y: [Double]) {
        count += 1
        let n = Double(count)
        var before = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            before[i] = y[i] - mean[i]
            mean[i] += before[i] / n
        }
        for i in 0..<dimension {
            let after = y[i] - mean[i]
            for j in 0..<dimension {
                comoment[i * dimension + j] += before[j] * after
            }
        }
    }

    /// The sample covariance (n − 1 denominator), row-major.
    public var covariance: [Double] {
        precondition(count >= 2)
        return comoment.map { $0 / Double(count - 1) }
    }
}
