/// How many more rows to audit, from which strata, to reach a goal: every
/// p* interval down to a half-width, or the two best verifiers separated.
///
/// For a goal whose estimate has linearised influence g = ∇θ·y, the
/// stratum standard deviations are S_h = √(gᵀ S_h g); Neyman allocation
/// n_h ∝ W_h S_h reaches a variance V with the fewest rows,
///     n = (Σ W_h S_h)² / (V + Σ W_h S_h² / N),
/// and V = (half-width / z)². The plan adds to each stratum what it lacks
/// of its Neyman share (never removes audits, never more than the stratum's
/// unaudited rows), which is enough: every stratum then has at least n_h.
public struct AuditPlan: Codable, Sendable {
    public struct Goal: Codable, Sendable {
        public var name: String
        /// The delta-method half-width now and the one aimed at.
        public var halfWidth: Double
        public var targetHalfWidth: Double
        /// Extra audits per stratum label.
        public var extra: [String: Int]
        public var total: Int { extra.values.reduce(0, +) }
        /// Why the goal cannot be planned, if it cannot (e.g. a tie).
        public var impossible: String?
    }

    public var goals: [Goal]
    /// The goal the drawn ids serve: "width" (every verifier's p*) or "separate".
    public var chosen: String
    /// Extra audits per stratum for the chosen goal.
    public var extra: [String: Int]
    public var seed: UInt64
    /// The rows to audit next, per stratum (filled by the draw pass).
    public var ids: [String: [String]] = [:]

    public static func make(_ estimator: AuditEstimator, halfWidth: Double, separate: Bool, seed: UInt64) -> AuditPlan {
        let sample = estimator.sample
        var goals: [Goal] = []
        for v in sample.verifierNames.indices {
            goals.append(goal(estimator, name: "p* of \(sample.verifierNames[v]) to ±\(halfWidth)",
                              gradient: estimator.breakdownGradient(v), target: halfWidth))
        }
        var widthExtra: [String: Int] = [:]
        for goal in goals {
            for (label, count) in goal.extra { widthExtra[label] = max(widthExtra[label] ?? 0, count) }
        }
        let order = sample.verifierNames.indices.sorted { (estimator.breakdown($0), -$0) > (estimator.breakdown($1), -$1) }
        var separation: Goal?
        if order.count >= 2 {
            let (u, v) = (order[0], order[1])
            let name = "separate \(sample.verifierNames[u]) from \(sample.verifierNames[v])"
            let difference = estimator.breakdown(u) - estimator.breakdown(v)
            let gradient = zip(estimator.breakdownGradient(u), estimator.breakdownGradient(v)).map { $0 - $1 }
            if difference > 0 {
                separation = goal(estimator, name: name, gradient: gradient, target: difference)
            } else {
                separation = Goal(name: name, halfWidth: AuditEstimator.z95 * estimator.variance(gradient).squareRoot(),
                                  targetHalfWidth: 0, extra: [:], impossible: "their p* estimates are equal")
            }
            goals.append(separation!)
        }
        let chosen = separate && separation != nil ? "separate" : "width"
        return AuditPlan(goals: goals, chosen: chosen,
                         extra: chosen == "separate" ? separation!.extra : widthExtra, seed: seed)
    }

    /// Neyman allocation of `total` audits for an estimate with gradient
    /// `gradient`: n_h = total·W_h S_h / Σ W S (fractional).
    public static func neymanShares(_ estimator: AuditEstimator, gradient: [Double], total: Int) -> [String: Double] {
        let spreads = stratumSpreads(estimator, gradient: gradient)
        let weighted = zip(estimator.weights, spreads).map { $0 * $1 }.reduce(0, +)
        var shares: [String: Double] = [:]
        for (h, label) in estimator.sample.strata.enumerated() {
            shares[label] = weighted > 0 ? Double(total) * estimator.weights[h] * spreads[h] / weighted : 0
        }
        return shares
    }

    /// S_h = √(gᵀ S_h g) per stratum.
    static func stratumSpreads(_ estimator: AuditEstimator, gradient: [Double]) -> [Double] {
        estimator.sample.strata.indices.map { h -> Double in
            estimator.poolRows[h] == 0 ? 0 : max(0, estimator.variance(gradient, estimator.sample.moments[h].covariance)).squareRoot()
        }
    }

    static func goal(_ estimator: AuditEstimator, name: String, gradient: [Double], target: Double) -> Goal {
        let sample = estimator.sample
        let z = AuditEstimator.z95
        let current = z * estimator.variance(gradient).squareRoot()
        var extra: [String: Int] = [:]
        for label in sample.strata { extra[label] = 0 }
        guard current > target else {
            return Goal(name: name, halfWidth: current, targetHalfWidth: target, extra: extra)
        }
        let total = Double(estimator.poolRows.reduce(0, +))
        let spreads = stratumSpreads(estimator, gradient: gradient)
        let weighted = zip(estimator.weights, spreads).map { $0 * $1 }.reduce(0, +)
        let squares = zip(estimator.weights, spreads).map { $0 * $1 * $1 }.reduce(0, +)
        let goalVariance = (target / z) * (target / z)
        let needed = weighted * weighted / (goalVariance + squares / total)
        for h in sample.strata.indices where weighted > 0 {
            let share = needed * estimator.weights[h] * spreads[h] / weighted
            let have = sample.moments[h].count
            let room = estimator.poolRows[h] - have
            extra[sample.strata[h]] = min(room, max(0, Int(share.rounded(.up)) - have))
        }
        return Goal(name: name, halfWidth: current, targetHalfWidth: target, extra: extra)
    }
}
