import Numerics

/// Stratified ratio estimators of ϕ, ψ, p and p* with delta-method
/// intervals on the logit scale (docs/AUDIT.md).
///
/// With strata h of pool sizes N_h (weights W_h = N_h/N), n_h audited rows
/// each and the row vector y = (s, q₁s, q₁(1−s), …) (StratumMoments), the
/// stratified mean Ȳ = Σ W_h ȳ_h estimates the pool means B = E[s],
/// A_v = E[q_v s], C_v = E[q_v(1−s)], with covariance
/// Σ = Σ_h W_h² (1 − n_h/N_h) S_h / n_h (S_h the sample covariance). Then
///     p = 1 − B,  ϕ_v = A_v/B,  ψ_v = C_v/(1 − B),  p*_v = ϕ_v/(ϕ_v + ψ_v),
/// and each gets its interval from the gradient g of its logit, Var = gᵀΣg.
public struct AuditEstimator {
    public let sample: AuditSample
    /// N_h per stratum, in the sample's stratum order.
    public let poolRows: [Int]
    public let weights: [Double]
    public let mean: [Double]
    public let covariance: [Double]
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
    public func phi(_ v: Int) -> Double { mean[1 + 2 * v] / mean[0] }
    public func psi(_ v: Int) -> Double { mean[2 + 2 * v] / (1 - mean[0]) }
    public func breakdown(_ v: Int) -> Double {
        let phi = phi(v), psi = psi(v)
        return phi / (phi + psi)
    }

    private func zeros() -> [Double] { [Double](repeating: 0, count: sample.dimension) }

    /// logit p = log(1 − B) − log B.
    func logitErrorGradient() -> [Double] {
        var g = zeros()
        g[0] = -1 / (1 - mean[0]) - 1 / mean[0]
        return g
    }

    /// logit ϕ = log A − log(B − A).
    func logitPhiGradient(_ v: Int) -> [Double] {
        let a = mean[1 + 2 * v], b = mean[0]
        var g = zeros()
        g[1 + 2 * v] = 1 / a + 1 / (b - a)
        g[0] = -1 / (b - a)
        return g
    }

    /// logit ψ = log C − log(1 − B − C).
    func logitPsiGradient(_ v: Int) -> [Double] {
        let c = mean[2 + 2 * v], rest = 1 - mean[0] - c
        var g = zeros()
        g[2 + 2 * v] = 1 / c + 1 / rest
        g[0] = 1 / rest
        return g
    }

    /// logit p* = log ϕ − log ψ = log A − log B − log C + log(1 − B).
    func logitBreakdownGradient(_ v: Int) -> [Double] {
        var g = zeros()
        g[1 + 2 * v] = 1 / mean[1 + 2 * v]
        g[2 + 2 * v] = -1 / mean[2 + 2 * v]
        g[0] = -1 / mean[0] - 1 / (1 - mean[0])
        return g
    }

    /// ∇p* on the linear scale: p*(1 − p*)·∇logit p*.
    public func breakdownGradient(_ v: Int) -> [Double] {
        let value = breakdown(v)
        return logitBreakdownGradient(v).map { $0 * value * (1 - value) }
    }

    // MARK: Intervals and verdicts

    public var errorInterval: Interval {
        Interval.logit(estimate: generatorError, logitVariance: variance(logitErrorGradient()), z: Self.z95,
                       boundary: generatorError == 0 ? "no audited row is wrong" : "every audited row is wrong")
    }

    public func phiInterval(_ v: Int) -> Interval {
        Interval.logit(estimate: phi(v), logitVariance: variance(logitPhiGradient(v)), z: Self.z95,
                       boundary: phi(v) == 0 ? "no audited correct row was kept" : "every audited correct row was kept")
    }

    public func psiInterval(_ v: Int) -> Interval {
        Interval.logit(estimate: psi(v), logitVariance: variance(logitPsiGradient(v)), z: Self.z95,
                       boundary: psi(v) == 0 ? "no audited wrong row was kept" : "every audited wrong row was kept")
    }

    public func breakdownInterval(_ v: Int) -> Interval {
        Interval.logit(estimate: breakdown(v), logitVariance: variance(logitBreakdownGradient(v)), z: Self.z95,
                       boundary: breakdown(v) == 1 ? "no audited wrong row was kept (ψ = 0)" : "no audited correct row was kept (ϕ = 0)")
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
        let unequal = (fractions.max() ?? 0) > (fractions.min() ?? 0) * (1 + 1e-9)
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
