/// How far the label model's assumption fails on the audited rows: for each
/// pair of verifiers, the correlation of their keep bits among correct rows
/// and among wrong rows (0 under conditional independence). Audited rows are
/// weighted by N_h/n_h, so a stratified audit measures the pool.
public struct ConditionalDependence: Codable, Sendable {
    public struct Pair: Codable, Sendable {
        public var first: String
        public var second: String
        public var amongCorrect: Double?
        public var amongWrong: Double?
    }

    public var pairs: [Pair]

    /// The largest |correlation| over pairs and classes (nil if none is defined).
    public var largest: Double? {
        pairs.flatMap { [$0.amongCorrect, $0.amongWrong].compactMap { $0.map(abs) } }.max()
    }

    public init(_ estimator: AuditEstimator) {
        let sample = estimator.sample
        let k = sample.verifierNames.count
        // Weighted sums per class: total weight, Σq_u, Σq_u q_v.
        var weight = [0.0, 0.0]
        var single = [[Double]](repeating: [Double](repeating: 0, count: k), count: 2)
        var joint = [[Double]](repeating: [Double](repeating: 0, count: k * k), count: 2)
        for (key, count) in sample.patterns where count.audited > 0 {
            let h = key.stratum
            let rowWeight = Double(estimator.poolRows[h]) / Double(sample.moments[h].count)
            let classWeight = [rowWeight * count.similarity, rowWeight * (Double(count.audited) - count.similarity)]
            for c in 0..<2 {
                weight[c] += classWeight[c]
                for u in 0..<k where (key.pattern >> UInt64(u)) & 1 == 1 {
                    single[c][u] += classWeight[c]
                    for v in 0..<k where (key.pattern >> UInt64(v)) & 1 == 1 { joint[c][u * k + v] += classWeight[c] }
                }
            }
        }
        func correlation(_ c: Int, _ u: Int, _ v: Int) -> Double? {
            guard weight[c] > 0 else { return nil }
            let mu = single[c][u] / weight[c], mv = single[c][v] / weight[c]
            let cov = joint[c][u * k + v] / weight[c] - mu * mv
            let denominator = (mu * (1 - mu) * mv * (1 - mv)).squareRoot()
            return denominator > 0 ? cov / denominator : nil
        }
        var pairs: [Pair] = []
        for u in 0..<k {
            for v in (u + 1)..<k {
                pairs.append(Pair(first: sample.verifierNames[u], second: sample.verifierNames[v],
                                  amongCorrect: correlation(0, u, v), amongWrong: correlation(1, u, v)))
            }
        }
        self.pairs = pairs
    }
}
