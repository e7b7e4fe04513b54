/// What `assay audit` reports: per verifier ϕ, ψ, p* with intervals and the
/// verdict, the generator's error p, the ranking, and the strata they rest on.
public struct AuditEstimates: Codable, Sendable {
    public struct Stratum: Codable, Sendable {
        public var label: String
        /// Rows of the pool in this stratum (the known size, or the file's count).
        public var poolRows: Int
        public var fileRows: Int
        public var audited: Int
        public var weight: Double
    }

    public struct Verifier: Codable, Sendable {
        public var name: String
        /// Share of the pool it keeps (stratum-weighted file keep rate).
        public var keepRate: Double
        public var phi: Interval
        public var psi: Interval
        public var breakdown: Interval
        /// Normal-approximation probability that p < p* (one-sided test of
        /// p* − p > 0 with the delta-method standard error).
        public var probabilityBelowBreakdown: Double
    }

    /// A paired comparison: the same audited rows judge both verifiers.
    public struct Comparison: Codable, Sendable {
        public var better: String
        public var worse: String
        /// p*(better) − p*(worse) with its 95 % interval (delta method on the
        /// joint moments, so the rows' pairing is in the variance).
        public var difference: Interval
        /// Normal-approximation probability that p*(better) > p*(worse).
        public var probability: Double
    }

    public var file: String
    public var rows: Int
    public var audited: Int
    public var strata: [Stratum]
    /// Whether the strata's audit fractions differ by more than 5 %
    /// (relative): then the unweighted shares would be biased. They are never
    /// computed; every estimate is weighted by the pool sizes.
    public var unequalSampling: Bool
    public var generatorError: Interval
    public var verifiers: [Verifier]
    /// Names by p*, best first.
    public var ranking: [String]
    /// Every pair, better first (by the point estimate).
    public var comparisons: [Comparison]
}
