import Numerics

/// Finds a top-fraction cut exactly with memory that does not grow with the
/// pool. The first scan keeps a random sample of about `sampleSize` ranks
/// and brackets the cut between two of the sample's quantiles; the second
/// counts the pairs ahead of the bracket and collects the few inside it,
/// among which the cut is found by sorting. A bracket that misses (chance
/// below 1e-9 at the width used) is widened and scanned again. A pool no
/// larger than the sample is ranked in its first scan.
///
/// The caller scans the pool while `cut` is nil, handing every (row,
/// score) to `visit` in any order, and calls `endScan` after each scan;
/// several searches can share scans.
struct TopFractionSearch {
    let poolSize: Int
    /// Pairs to keep: round(fraction · N).
    let target: Int
    private let template: TopFractionCut
    /// Decides which rows the first scan samples, independently of ties.
    private let samplingKey: UInt64
    private let samplingThreshold: UInt64?
    private var sample: [Rank] = []
    private var bracket: (upper: Rank?, lower: Rank?)?
    private var width = 7.0
    private var ahead = 0
    private var inside: [Rank] = []
    private(set) var cut: TopFractionCut?

    init(fraction: Double, poolSize: Int, seed: UInt64, verifier: String, sampleSize: Int = 1 << 20) {
        self.poolSize = poolSize
        target = min(poolSize, max(0, Int((fraction * Double(poolSize)).rounded())))
        template = TopFractionCut(last: nil, seed: seed, verifier: verifier)
        samplingKey = hashKeys(seed, [stableHash(verifier), 0x5A4D_504C_45])
        let rate = Double(sampleSize) / Double(poolSize)
        samplingThreshold = rate >= 1 ? nil : UInt64(rate * 0x1p64)
        if target == 0 { cut = template }
    }

    mutating func visit(row: Int, score: Double) {
        let rank = template.rank(score: score, row: row)
        guard let bracket else {
            if samplingThreshold.map({ hashKeys(samplingKey, [UInt64(row)]) < $0 }) ?? true {
                sample.append(rank)
            }
            return
        }
        if let upper = bracket.upper, rank < upper {
            ahead += 1
        } else if bracket.lower.map({ rank <= $0 }) ?? true {
            inside.append(rank)
        }
    }

    mutating func endScan() {
        guard cut == nil else { return }
        guard bracket != nil else {
            sample.sort()
            if samplingThreshold == nil {
                cut = template.cutting(after: sample[target - 1])
            } else {
                placeBracket()
            }
            return
        }
        if ahead < target && target <= ahead + inside.count {
            inside.sort()
            cut = template.cutting(after: inside[target - ahead - 1])
        } else {
            width *= 4
            placeBracket()
        }
    }

    /// Brackets position target·m/N of the sorted sample by ±width
    /// standard deviations of that position.
    private mutating func placeBracket() {
        let share = Double(target) / Double(poolSize)
        let center = share * Double(sample.count)
        let deviation = (Double(sample.count) * share * (1 - share)).squareRoot() + 1
        let first = Int((center - width * deviation).rounded(.down))
        let last = Int((center + width * deviation).rounded(.up))
        bracket = (upper: first > 0 && first < sample.count ? sample[first] : nil,
                   lower: last >= 0 && last < sample.count ? sample[last] : nil)
        ahead = 0
        inside = []
    }
}

extension TopFractionSearch {
    /// Fixes the cut of each top-fraction verifier among `verifiers`, keyed
    /// by its index there, by scanning its scores over the pool: searches
    /// share scans, and each scan gets a bar ("rank 1", "rank 2").
    static func cuts(for verifiers: [VerifierInstance], source: PoolSource, threads: Int,
                     progressBar: ProgressBar.Factory) throws -> [Int: TopFractionCut] {
        var searches: [Int: TopFractionSearch] = [:]
        for (index, verifier) in verifiers.enumerated() {
            if case .topFraction(let fraction) = verifier.mode {
                searches[index] = TopFractionSearch(fraction: fraction, poolSize: source.layout.poolSize,
                                                    seed: source.seed, verifier: verifier.name)
            }
        }
        var scan = 0
        while true {
            let pending = searches.keys.filter { searches[$0]!.cut == nil }.sorted()
            if pending.isEmpty { break }
            scan += 1
            let progress = progressBar("rank \(scan)", source.layout.chunkCount)
            try forEachChunk(count: source.layout.chunkCount, threads: threads, progress: progress) { index in
                let chunk = try PoolChunk(index: index, source: source, verifiers: pending.map { verifiers[$0] })
                return (chunk.firstRow, chunk.verdicts.map { verdict -> [Double] in
                    guard case .scores(let scores) = verdict else { preconditionFailure("a top-fraction verifier judged by rule") }
                    return scores
                })
            } merge: { firstRow, scores in
                for (position, verifier) in pending.enumerated() {
                    for (offset, value) in scores[position].enumerated() {
                        searches[verifier]!.visit(row: firstRow + offset, score: value)
                    }
                }
            }
            for verifier in pending { searches[verifier]!.endScan() }
        }
        return searches.mapValues { $0.cut! }
    }
}
