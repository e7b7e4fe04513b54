import Foundation

/// Trains SummaryModels the way the paper's experiment uses its LLMs: a
/// *base* model from documents alone (the stand-in for pretraining), then
/// "fine-tuning" on (document, summary) pairs, always from the same base:
/// the base's trigram counts at `documentWeight` plus the summaries' at 1,
/// and the mixture's weights fitted by EM.
public struct SummaryModelTrainer: Sendable {
    /// Weight of a document's counts against a summary's (documents are
    /// long and many; without it they would drown the summaries' style).
    public var documentWeight: Double = 0.05
    public var discount: Double = 0.75
    public var followers: Int = 16
    /// Decay per word of the position copy distribution (Document).
    public var positionDecay: Double = 0.9
    /// EM's iterations for the mixture weights (it stops earlier once no
    /// weight moves by 1e-9).
    public var iterations: Int = 100

    public init() {}

    /// The base model: every document as a word sequence at `documentWeight`.
    public func base(documents: [[Int32]], vocabularySize: Int) -> TrigramModel {
        var counts = TrigramCounts()
        for document in documents where !document.isEmpty { counts.add(document, weight: documentWeight) }
        return TrigramModel(counts, vocabularySize: vocabularySize, discount: discount, followers: followers)
    }

    /// The base fine-tuned on `pairs`: the summaries' counts on top of the
    /// base's. The mixture weights are fitted on every tenth pair (index ≡ 9
    /// mod 10), held out of a language model of the rest, so that they are
    /// not judged by a model that memorized the summaries; with fewer than
    /// ten pairs, in-sample.
    public func fineTune(base: TrigramModel, pairs: [(document: [Int32], summary: [Int32])]) -> SummaryModel {
        let heldOut = pairs.count >= 10 ? pairs.indices.filter { $0 % 10 == 9 } : Array(pairs.indices)
        var fitting = TrigramCounts()
        for (index, pair) in pairs.enumerated() where pairs.count < 10 || index % 10 != 9 {
            fitting.add(pair.summary)
        }
        let weights = mixtureWeights(language: TrigramModel(base: base, adding: fitting, followers: 0),
                                     pairs: heldOut.map { pairs[$0] })
        var counts = TrigramCounts()
        for pair in pairs { counts.add(pair.summary) }
        return SummaryModel(language: TrigramModel(base: base, adding: counts, followers: followers),
                            weights: weights, positionDecay: positionDecay)
    }

    /// EM for the weights of the mixture's three fixed components: each
    /// token's responsibilities r_k = λ_k·P_k / Σ_j λ_j·P_j, then λ_k = mean
    /// r_k. Starts from equal weights.
    func mixtureWeights(language: TrigramModel, pairs: [(document: [Int32], summary: [Int32])]) -> MixtureWeights {
        var terms: [(Double, Double, Double)] = []
        for pair in pairs {
            let document = Document(pair.document, positionDecay: positionDecay)
            var u = Vocabulary.start, v = Vocabulary.start
            for w in pair.summary + [Vocabulary.end] {
                terms.append((language.probability(w, after: u, v), document.positionProbability(w),
                              document.spanProbability(w, after: v)))
                (u, v) = (v, w)
            }
        }
        guard !terms.isEmpty else { return MixtureWeights(language: 1, position: 0, span: 0) }
        var lambda = (1.0 / 3, 1.0 / 3, 1.0 / 3)
        for _ in 0..<iterations {
            var sums = (0.0, 0.0, 0.0)
            for (l, p, s) in terms {
                let parts = (lambda.0 * l, lambda.1 * p, lambda.2 * s)
                let total = parts.0 + parts.1 + parts.2
                sums.0 += parts.0 / total; sums.1 += parts.1 / total; sums.2 += parts.2 / total
            }
            let n = Double(terms.count)
            let next = (sums.0 / n, sums.1 / n, sums.2 / n)
            let moved = max(abs(next.0 - lambda.0), abs(next.1 - lambda.1), abs(next.2 - lambda.2))
            lambda = next
            if moved < 1e-9 { break }
        }
        // Rounding aside, the means sum to 1; renormalize the last bits.
        let total = lambda.0 + lambda.1 + lambda.2
        return MixtureWeights(language: lambda.0 / total, position: lambda.1 / total, span: lambda.2 / total)
    }
}
