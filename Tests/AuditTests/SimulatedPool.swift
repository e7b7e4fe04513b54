import AssayAudit
import Numerics

/// A finite pool whose truth is known: each row is correct with
/// probability 1 − p, and each verifier keeps it with probability ϕ_v
/// (correct) or ψ_v (wrong), independently given correctness unless
/// `copy` makes verifier 1 copy verifier 0's decision with that
/// probability (a conditional correlation of about `copy`). Seeded from
/// Numerics' random streams, so every test sees the same pool.
struct SimulatedPool {
    let correct: [Bool]
    let patterns: [UInt64]
    let verifiers: Int

    init(rows: Int, error p: Double, phi: [Double], psi: [Double], copy: Double = 0, seed: UInt64) {
        var random = RandomStream(seed: seed, keys: 16)
        var correct = [Bool](repeating: false, count: rows)
        var patterns = [UInt64](repeating: 0, count: rows)
        for i in 0..<rows {
            let isCorrect = random.uniform() >= p
            var pattern: UInt64 = 0
            for v in phi.indices {
                var kept = random.uniform() < (isCorrect ? phi[v] : psi[v])
                if v == 1, random.uniform() < copy { kept = pattern & 1 == 1 }
                if kept { pattern |= 1 << UInt64(v) }
            }
            correct[i] = isCorrect
            patterns[i] = pattern
        }
        self.correct = correct
        self.patterns = patterns
        verifiers = phi.count
    }

    /// A pool given row by row (e.g. GaussianMixturePoolTests').
    init(correct: [Bool], patterns: [UInt64], verifiers: Int) {
        self.correct = correct
        self.patterns = patterns
        self.verifiers = verifiers
    }

    var names: [String] { (0..<verifiers).map { "v\($0)" } }

    func kept(_ i: Int, _ v: Int) -> Bool { (patterns[i] >> UInt64(v)) & 1 == 1 }

    /// The pool's own ϕ, ψ, p, p* (what a full audit would measure).
    var truthError: Double { Double(correct.filter { !$0 }.count) / Double(correct.count) }
    func truthPhi(_ v: Int) -> Double {
        let rows = correct.indices.filter { correct[$0] }
        return Double(rows.filter { kept($0, v) }.count) / Double(rows.count)
    }
    func truthPsi(_ v: Int) -> Double {
        let rows = correct.indices.filter { !correct[$0] }
        return Double(rows.filter { kept($0, v) }.count) / Double(rows.count)
    }
    func truthBreakdown(_ v: Int) -> Double { truthPhi(v) / (truthPhi(v) + truthPsi(v)) }

    /// The conditional correlation of two verifiers' keeps among correct
    /// (`amongCorrect`) or wrong rows, measured on the whole pool.
    func conditionalCorrelation(_ u: Int, _ v: Int, amongCorrect: Bool) -> Double {
        let rows = correct.indices.filter { correct[$0] == amongCorrect }
        let n = Double(rows.count)
        let mu = Double(rows.filter { kept($0, u) }.count) / n
        let mv = Double(rows.filter { kept($0, v) }.count) / n
        let both = Double(rows.filter { kept($0, u) && kept($0, v) }.count) / n
        return (both - mu * mv) / (mu * (1 - mu) * mv * (1 - mv)).squareRoot()
    }

    /// The sample of an audit: `perStratum[h]` rows drawn without
    /// replacement from stratum h, where the strata are the pool (one
    /// stratum, "all") or verifier `stratifyOn`'s kept and dropped rows.
    /// Only audited rows enter the sample; the pool sizes are returned
    /// for the estimator.
    func audit(perStratum: [String: Int], strata members: [String: [Int]], random: inout RandomStream) throws -> (AuditSample, [String: Int]) {
        var sample = AuditSample(verifierNames: names)
        for label in members.keys.sorted() {
            let rows = members[label]!
            let h = try sample.stratum(label)
            let n = perStratum[label] ?? 0
            precondition(n <= rows.count)
            if n * 10 < rows.count {
                // Few of many: distinct uniform picks (rejecting repeats), with
                // no copy of the stratum's rows.
                var picked = Set<Int>()
                while picked.count < n {
                    let j = Int(random.next() % UInt64(rows.count))
                    guard picked.insert(j).inserted else { continue }
                    let i = rows[j]
                    sample.add(stratum: h, pattern: patterns[i], similarity: correct[i] ? 1 : 0)
                }
            } else {
                var rows = rows
                for j in 0..<n {
                    rows.swapAt(j, j + Int(random.next() % UInt64(rows.count - j)))
                    let i = rows[j]
                    sample.add(stratum: h, pattern: patterns[i], similarity: correct[i] ? 1 : 0)
                }
            }
        }
        return (sample, members.mapValues(\.count))
    }

    /// The rows of each stratum: the pool ("all") or verifier
    /// `stratifyOn`'s "kept" and "dropped" rows.
    func strata(stratifyOn: Int?) -> [String: [Int]] {
        var members: [String: [Int]] = [:]
        for i in correct.indices {
            let label = stratifyOn.map { kept(i, $0) ? "kept" : "dropped" } ?? "all"
            members[label, default: []].append(i)
        }
        return members
    }

    /// Every row in one stratum, the first `audited` of them (in a seeded
    /// random order) with their correctness, for the label model.
    func fullSample(audited: Int, seed: UInt64) throws -> AuditSample {
        var random = RandomStream(seed: seed, keys: 61)
        var order = Array(correct.indices)
        for j in 0..<audited {
            order.swapAt(j, j + Int(random.next() % UInt64(order.count - j)))
        }
        var isAudited = [Bool](repeating: false, count: correct.count)
        for j in 0..<audited { isAudited[order[j]] = true }
        var sample = AuditSample(verifierNames: names)
        let h = try sample.stratum("all")
        for i in correct.indices {
            sample.add(stratum: h, pattern: patterns[i], similarity: isAudited[i] ? (correct[i] ? 1 : 0) : nil)
        }
        return sample
    }
}
