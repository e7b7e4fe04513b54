import AssayHost

/// Sums over test inputs, per candidate count k, of the oracle's and the
/// self-selected candidate's similarity.
struct CandidateTally {
    let ks: [Int]
    var oracle: [Double]
    var selfSelected: [Double]
    var synthesizedSum = 0.0
    var synthesizedCount = 0

    init(ks: [Int]) {
        self.ks = ks
        oracle = [Double](repeating: 0, count: ks.count)
        selfSelected = oracle
    }

    var synthesizedAccuracy: Double? { synthesizedCount == 0 ? nil : synthesizedSum / Double(synthesizedCount) }

    /// similarity[c][row] and likelihood[c][row] of candidate c; candidates
    /// from `synthesizedFrom` on were synthesized.
    mutating func add(similarity: [[Double]], likelihood: [[Double]], rows: Int, synthesizedFrom: Int) {
        for row in 0..<rows {
            var best = -Double.infinity, chosen = 0, liked = -Double.infinity
            var next = 0
            for candidate in similarity.indices {
                best = max(best, similarity[candidate][row])
                if likelihood[candidate][row] > liked {
                    liked = likelihood[candidate][row]
                    chosen = candidate
                }
                if candidate >= synthesizedFrom {
                    synthesizedSum += similarity[candidate][row]
                    synthesizedCount += 1
                }
                // After candidate c the first c + 1 are known: record every
                // k equal to c + 1.
                while next < ks.count && ks[next] == candidate + 1 {
                    oracle[next] += best
                    selfSelected[next] += similarity[chosen][row]
                    next += 1
                }
            }
        }
    }

    mutating func add(_ other: CandidateTally) {
        for i in ks.indices {
            oracle[i] += other.oracle[i]
            selfSelected[i] += other.selfSelected[i]
        }
        synthesizedSum += other.synthesizedSum
        synthesizedCount += other.synthesizedCount
    }
}
