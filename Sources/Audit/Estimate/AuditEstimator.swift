import Numerics

/// Stratified ratio estimators of ϕ, ψ, p and p* with delta-method
/// intervals: Wilson at the effective sample size for the proportions p, ϕ,
/// ψ; the logit scale for p* (docs/AUDIT.md).
///
/// With strata h of pool sizes N_h (weights W_h = N_h/N), n_h audited rows
/// each and the row vector y = (s, q₁s, q₁(1−s), …) (StratumMoments), the
/// stratified mean Ȳ = Σ W_h ȳ_h estimates the pool means B = E[s],
/// A_v = E[q_v s], C_v = E[q_v(1−s)], with covariance
/// Σ = Σ_h W_h² (1 − n_h/N_h) S_h / n_h (S_h the sample covariance). Then
///     p = 1 − B,  ϕ_v = A_v/B,  ψ_v = C_v/(1 − B),  p*_v = ϕ_v/(ϕ_v + ψ_v),
/// and each gets its variance from the gradient g of its logit, Var = gᵀΣg.
public struct AuditEstimator {
    public let sample: AuditSample
    /// N_h per stratum, in the sample's stratum order.
    public let poolRows: [Int]
    public let weights: [Double]
    public let mean: [Double]
    public let covariance: [Double]
    /// Haldane-corrected moments, for estimates at 0 or 1 (see `haldane`).
    let correctedMean: [Double]
    let correctedCovariance: [Double]
    public static let z95 = 1.959_963_984_540_054

    /// `poolSizes`: known N_h by stratum label (every stratum of the file
    /// must be named); nil takes the file's counts.
    public init(sample: AuditSample, poolSizes: [String: Int]? = nil, source: String = "audit") throws {
        self.sample = sample
        var poolRows: [Int] = []
        for (h, label) in sample.strata.enumerated() {
            let size: Int
            if let poolSizes {
                guard let known = poolSizes[label] else {
                    throw AuditError("\(source): stratum '\(label)' has no pool size in [audit.pool] (given: \(poolSizes.keys.sorted().joined(separator: ", ")))")
                }
                size = known
            } else {
                size = sample.rows[h]
            }
            let audited = sample.moments[h].count
            guard size >= audited else {
                throw AuditError("\(source): stratum '\(label)': pool size \(size) is smaller than its \(audited) audited rows")
            }
            if size > 0, audited < 2 {
                throw AuditError("\(source): stratum '\(label)' has \(audited) audited row\(audited == 1 ? "" : "s"); at least 2 are needed for its variance")
            }
            poolRows.append(size)
        }
        let total = Double(poolRows.reduce(0, +))
        guard total > 0 else { throw AuditError("\(source): the pool is empty") }
        self.poolRows = poolRows
        weights = poolRows.map { Double($0) / total }
        let d = sample.dimension
        var mean = [Double](repeating: 0, count: d)
        var covariance = [Double](repeating: 0, count: d * d)
        for h in sample.strata.indices where poolRows[h] > 0 {
            let moments = sample.moments[h]
            let n = Double(moments.count)
            let factor = weights[h] * weights[h] * max(0, 1 - n / Double(poolRows[h])) / n
            let s = moments.covariance
            for i in 0..<d {
                mean[i] += weights[h] * moments.mean[i]
                for j in 0..<d { covariance[i * d + j] += factor * s[i * d + j] }
            }
        }
        self.mean = mean
        self.covariance = covariance
        (correctedMean, correctedCovariance) = Self.haldane(sample: sample, poolRows: poolRows, weights: weights)
    }

    /// The stratified mean and covariance with Haldane's correction: every
    /// stratum gets four pseudo-rows of weight ½, (s, all q) = (1, 1), (1, 0),
    /// (0, 1), (0, 0), so that each cell of every verifier's 2 × 2 table
    /// (kept/dropped × correct/wrong) gains ½. Used only for the interval of
    /// an estimate at 0 or 1 (a cell with no audited row), whose logit is
    /// infinite: the standard remedy for a log odds ratio with a zero cell.
    static func haldane(sample: AuditSample, poolRows: [Int], weights: [Double]) -> ([Double], [Double]) {
        let d = sample.dimension, k = sample.verifierNames.count
        var pseudo: [[Double]] = []
        for s in [1.0, 0.0] {
            for q in [1.0, 0.0] {
                var y = [Double](repeating: 0, count: d)
                y[0] = s
                for v in 0..<k { y[1 + 2 * v] = q * s; y[2 + 2 * v] = q * (1 - s) }
                pseudo.append(y)
            }
        }
        var mean = [Double](repeating: 0, count: d)
        var covariance = [Double](repeating: 0, count: d * d)
        for h in sample.strata.indices where poolRows[h] > 0 {
            let m = sample.moments[h]
            let n = Double(m.count), corrected = n + 2
            // Sums and cross-products of the real rows, plus the pseudo-rows'.
            var sum = m.mean.map { $0 * n }
            var cross = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for j in 0..<d { cross[i * d + j] = m.comoment[i * d + j] + n * m.mean[i] * m.mean[j] } }
            for y in pseudo {
                for i in 0..<d {
                    sum[i] += 0.5 * y[i]
                    for j in 0..<d { cross[i * d + j] += 0.5 * y[i] * y[j] }
                }
            }
            let centre = sum.map { $0 / corrected }
            let factor = weights[h] * weights[h] * max(0, 1 - n / Double(poolRows[h])) / corrected
            for i in 0..<d {
                mean[i] += weights[h] * centre[i]
                for j in 0..<d {
                    let s = (cross[i * d + j] - corrected * centre[i] * centre[j]) / (corrected - 1)
                    covariance[i * d + j] += factor * s
                }
            }
        }
        return (mean, covariance)
    }

    /// gᵀ Σ g for a gradient over the vector's coordinates.
    public func variance(_ gradient: [Double]) -> Double {
        variance(gradient, covariance)
    }

    func variance(_ g: [Double], _ matrix: [Double]) -> Double {
        let d = sample.dimension
        var total = 0.0
        for i in 0..<d where g[i] != 0 {
            for j in 0..<d where g[j] != 0 { total += g[i] * matrix[i * d + j] * g[j] }
        }
        return total
    }

    // MARK: The estimators and the gradients of their logits

    public var correctShare: Double { mean[0] }
    public var generatorError: Double { 1 - mean[0] }
    public func phi(_ v: Int) -> Double { Self.phi(v, mean) }
    public func psi(_ v: Int) -> Double { Self.psi(v, mean) }
    public func breakdown(_ v: Int) -> Double { Self.breakdown(v, mean) }

    static func phi(_ v: Int, _ mean: [Double]) -> Double { mean[1 + 2 * v] / mean[0] }
    static func psi(_ v: Int, _ mean: [Double]) -> Double { mean[2 + 2 * v] / (1 - mean[0]) }
    static func breakdown(_ v: Int, _ mean: [Double]) -> Double {
        let phi = phi(v, mean), psi = psi(v, mean)
        return phi / (phi + psi)
    }

    private func zeros() -> [Double] { [Double](repeating: 0, count: sample.dimension) }

    /// logit p = log(1 − B) − log B.
    func logitErrorGradient(_ mean: [Double]) -> [Double] {
        var g = zeros()
        g[0] = -1 / (1 - mean[0]) - 1 / mean[0]
        return g
    }

    /// logit ϕ = log A − log(B − A).
    func logitPhiGradient(_ v: Int, _ mean: [Double]) -> [Double] {
        let a = mean[1 + 2 * v], b = mean[0]
        var g = zeros()
        g[1 + 2 * v] = 1 / a + 1 / (b - a)
        g[0] = -1 / (b - a)
        return g
    }

    /// logit ψ = log C − log(1 − B − C).
    func logitPsiGradient(_ v: Int, _ mean: [Double]) -> [Double] {
        let c = mean[2 + 2 * v], rest = 1 - mean[0] - c
        var g = zeros()
        g[2 + 2 * v] = 1 / c + 1 / rest
        g[0] = 1 / rest
        return g
    }

    /// logit p* = log ϕ − log ψ = log A − log B − log C + log(1 − B).
    func logitBreakdownGradient(_ v: Int, _ mean: [Double]) -> [Double] {
        var g = zeros()
        g[1 + 2 * v] = 1 / mean[1 + 2 * v]
        g[2 + 2 * v] = -1 / mean[2 + 2 * v]
        g[0] = -1 / mean[0] - 1 / (1 - mean[0])
        return g
    }

    /// ∇p* on the linear scale: p*(1 − p*)·∇logit p*.
    public func breakdownGradient(_ v: Int) -> [Double] {
        let value = breakdown(v)
        return logitBreakdownGradient(v, mean).map { $0 * value * (1 - value) }
    }

    // MARK: Intervals and verdicts

    public var errorInterval: Interval {
        let audited = Double(sample.totalAudited)
        return proportion(1 - mean[0], logitGradient: logitErrorGradient(mean), boundaryTrials: audited)
    }

    public func phiInterval(_ v: Int) -> Interval {
        proportion(phi(v), logitGradient: logitPhiGradient(v, mean), boundaryTrials: auditedCount(correct: true))
    }

    public func psiInterval(_ v: Int) -> Interval {
        proportion(psi(v), logitGradient: logitPsiGradient(v, mean), boundaryTrials: auditedCount(correct: false))
    }

    public func breakdownInterval(_ v: Int) -> Interval {
        interval(estimate: { Self.breakdown(v, $0) }, gradient: { self.logitBreakdownGradient(v, $0) })
    }

    /// Σ_h n_h s̄_h (or n_h(1 − s̄_h)): the audited correct (wrong) rows.
    func auditedCount(correct: Bool) -> Double {
        sample.moments.reduce(0) { $0 + Double($1.count) * (correct ? $1.mean[0] : 1 - $1.mean[0]) }
    }

    /// A proportion's interval: Wilson's score interval at the effective
    /// sample size n_eff = θ(1 − θ)/Var(θ̂) (Korn & Graubard's device for
    /// complex samples), Var from the delta method. For a uniform audit of
    /// correct/wrong rows this is Wilson's interval itself; unlike a Wald
    /// interval (linear or logit) it keeps its coverage on small audits. At
    /// θ̂ = 0 or 1 the variance is 0 and n_eff is taken as the audited rows
    /// the proportion is of (`boundaryTrials`), marked as such.
    func proportion(_ value: Double, logitGradient: [Double], boundaryTrials: Double) -> Interval {
        if value > 0, value < 1 {
            let logitVariance = variance(logitGradient)
            if logitVariance > 0 {
                let effective = 1 / (value * (1 - value) * logitVariance)
                let (lower, upper) = wilsonInterval(successes: value * effective, trials: effective, z: Self.z95)
                return Interval(estimate: value, lower: lower, upper: upper)
            }
        }
        let (lower, upper) = wilsonInterval(successes: value * boundaryTrials, trials: boundaryTrials, z: Self.z95)
        return Interval(estimate: value, lower: lower, upper: upper,
                        corrected: "estimate \(value == 0 ? 0 : 1) (an empty cell): Wilson interval at n = \(Int(boundaryTrials.rounded())) audited rows")
    }

    /// The logit-scale interval of an estimate; at 0 or 1 (an empty cell),
    /// the interval of the Haldane-corrected moments, widened to reach the
    /// estimate, and marked as such.
    func interval(estimate: ([Double]) -> Double, gradient: ([Double]) -> [Double]) -> Interval {
        let value = estimate(mean)
        if value > 0, value < 1 {
            return Interval.logit(estimate: value, logitVariance: variance(gradient(mean)), z: Self.z95)
        }
        var corrected = Interval.logit(estimate: estimate(correctedMean),
                                       logitVariance: variance(gradient(correctedMean), correctedCovariance), z: Self.z95)
        corrected.estimate = value
        corrected.lower = min(corrected.lower, value)
        corrected.upper = max(corrected.upper, value)
        corrected.corrected = value == 0 ? "estimate 0 (an empty cell): Haldane-corrected interval" : "estimate 1 (an empty cell): Haldane-corrected interval"
        return corrected
    }

    /// Pr(p < p*) ≈ Φ((p* − p)/se), se from ∇(p* − p) = ∇p* + e₀.
    public func probabilityBelowBreakdown(_ v: Int) -> Double {
        var g = breakdownGradient(v)
        g[0] += 1
        return normalProbability(breakdown(v) - generatorError, variance: variance(g))
    }

    /// p*_u − p*_v with the paired (joint) variance.
    public func difference(_ u: Int, _ v: Int) -> (value: Double, variance: Double) {
        let gu = breakdownGradient(u), gv = breakdownGradient(v)
        return (breakdown(u) - breakdown(v), variance(zip(gu, gv).map { $0 - $1 }))
    }

    func normalProbability(_ value: Double, variance: Double) -> Double {
        guard variance > 0 else { return value > 0 ? 1 : (value < 0 ? 0 : 0.5) }
        return normalCDF(value / variance.squareRoot())
    }

    /// Every estimate `assay audit` prints.
    public func estimates(file: String) throws -> AuditEstimates {
        guard mean[0] > 0, mean[0] < 1 else {
            throw AuditError("\(file): every audited row is \(mean[0] == 0 ? "wrong" : "correct"): ϕ, ψ and p* need both correct and wrong audited rows")
        }
        let fractions = sample.strata.indices.filter { poolRows[$0] > 0 }.map { Double(sample.moments[$0].count) / Double(poolRows[$0]) }
        // Every estimate is weighted; the flag only tells the reader that the
        // unweighted shares would differ (audit fractions apart by over 5 %,
        // more than a uniform audit's chance split of a stratum).
        let unequal = (fractions.max() ?? 0) > (fractions.min() ?? 0) * 1.05
        let strata = sample.strata.indices.map { h in
            AuditEstimates.Stratum(label: sample.strata[h], poolRows: poolRows[h], fileRows: sample.rows[h],
                                   audited: sample.moments[h].count, weight: weights[h])
        }
        let verifiers = sample.verifierNames.indices.map { v in
            let keepRate = sample.strata.indices.reduce(0.0) { total, h in
                sample.rows[h] == 0 ? total : total + weights[h] * Double(sample.keptRows[h][v]) / Double(sample.rows[h])
            }
            return AuditEstimates.Verifier(name: sample.verifierNames[v], keepRate: keepRate,
                                           phi: phiInterval(v), psi: psiInterval(v), breakdown: breakdownInterval(v),
                                           probabilityBelowBreakdown: probabilityBelowBreakdown(v))
        }
        // Ties in p* keep the mapping's order.
        let order = sample.verifierNames.indices.sorted { (breakdown($0), -$0) > (breakdown($1), -$1) }
        var comparisons: [AuditEstimates.Comparison] = []
        for (i, u) in order.enumerated() {
            for v in order[(i + 1)...] {
                let (value, variance) = difference(u, v)
                let spread = Self.z95 * variance.squareRoot()
                comparisons.append(AuditEstimates.Comparison(
                    better: sample.verifierNames[u], worse: sample.verifierNames[v],
                    difference: Interval(estimate: value, lower: value - spread, upper: value + spread),
                    probability: normalProbability(value, variance: variance)))
            }
        }
        return AuditEstimates(file: file, rows: sample.totalRows, audited: sample.totalAudited, strata: strata,
                              unequalSampling: unequal, generatorError: errorInterval, verifiers: verifiers,
                              ranking: order.map { sample.verifierNames[$0] }, comparisons: comparisons)
    }
}
