/// What one pass over a pool leaves for the estimators: per stratum the
/// row count, each verifier's kept count and the audited rows' moments, and
/// (for the label model) how often each pattern of keep bits occurs. None of
/// it grows with the number of rows.
public struct AuditSample: Sendable {
    /// A keep-bit pattern (bit v = verifier v kept the row) in one stratum.
    public struct PatternKey: Hashable, Sendable {
        public var stratum: Int
        public var pattern: UInt64
    }

    /// Rows of one pattern: how many were not audited, how many were, and
    /// the audited ones' summed similarity.
    public struct PatternCount: Sendable, Equatable {
        public var unaudited = 0
        public var audited = 0
        public var similarity = 0.0
    }

    public let verifierNames: [String]
    public private(set) var strata: [String] = []
    public private(set) var rows: [Int] = []
    /// keptRows[h][v]: rows of stratum h that verifier v kept.
    public private(set) var keptRows: [[Int]] = []
    public private(set) var moments: [StratumMoments] = []
    public private(set) var patterns: [PatternKey: PatternCount] = [:]
    /// Patterns are counted only up to this many verifiers (2^k keys at most
    /// per stratum); above it the label model is not offered.
    public static let patternVerifierLimit = 20
    public static let strataLimit = 10_000
    private var stratumIndex: [String: Int] = [:]
    private var vector: [Double]

    public init(verifierNames: [String]) {
        self.verifierNames = verifierNames
        vector = [Double](repeating: 0, count: 1 + 2 * verifierNames.count)
    }

    public var dimension: Int { 1 + 2 * verifierNames.count }
    public var totalRows: Int { rows.reduce(0, +) }
    public var totalAudited: Int { moments.reduce(0) { $0 + $1.count } }
    public var countsPatterns: Bool { verifierNames.count <= Self.patternVerifierLimit }

    /// The index of a stratum, added on first sight.
    public mutating func stratum(_ label: String) throws -> Int {
        if let index = stratumIndex[label] { return index }
        guard strata.count < Self.strataLimit else {
            throw AuditError("more than \(Self.strataLimit) distinct strata; a stratum column must have few values")
        }
        stratumIndex[label] = strata.count
        strata.append(label)
        rows.append(0)
        keptRows.append([Int](repeating: 0, count: verifierNames.count))
        moments.append(StratumMoments(dimension: dimension))
        return strata.count - 1
    }

    /// One row: its stratum, its keep bits and its similarity (nil = not audited).
    public mutating func add(stratum h: Int, pattern: UInt64, similarity: Double?) {
        rows[h] += 1
        for v in verifierNames.indices where (pattern >> UInt64(v)) & 1 == 1 {
            keptRows[h][v] += 1
        }
        if let s = similarity {
            StratumMoments.vector(similarity: s, pattern: pattern, verifiers: verifierNames.count, into: &vector)
            moments[h].add(vector)
        }
        if countsPatterns {
            let key = PatternKey(stratum: h, pattern: pattern)
            if let s = similarity {
                patterns[key, default: PatternCount()].audited += 1
                patterns[key, default: PatternCount()].similarity += s
            } else {
                patterns[key, default: PatternCount()].unaudited += 1
            }
        }
    }
}
