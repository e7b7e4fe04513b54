import Foundation

/// A trigram language model with interpolated absolute discounting:
///
///     P3(w | u v) = (c(uvw) − d(uvw)) / c(uv·) + m(uv·) / c(uv·) · P2(w | v)
///     P2(w | v)   = (c(vw)  − d(vw))  / c(v·)  + m(v·)  / c(v·)  · P1(w)
///     P1(w)       = (c(w) + 1) / (N + V − 1)            (add-one, w ≠ start)
///
/// with d(·) = min(c(·), D) and m = Σ d over the context's continuations: the
/// discount never exceeds a count, so each level sums to 1 even for the
/// fractional counts of a fine-tuned model. A context never seen passes its
/// whole mass down a level. V is the vocabulary's size; the `start` id is
/// never predicted, hence V − 1 outcomes.
public struct TrigramModel: Sendable {
    public let discount: Double
    public let vocabularySize: Int
    private let trigrams: [UInt64: Double]
    private let bigrams: [UInt64: Double]
    private let unigrams: [Int32: Double]
    private let tokens: Double
    /// Per context (u, v) and (v): total count and discounted mass.
    private let trigramContexts: [UInt64: ContextMass]
    private let bigramContexts: [Int32: ContextMass]
    /// Per context, its most frequent next words (the decoder's candidates).
    private let trigramFollowers: [UInt64: [Int32]]
    private let bigramFollowers: [Int32: [Int32]]

    struct ContextMass: Sendable {
        var total = 0.0
        var mass = 0.0
    }

    /// The model of `counts`; `followers` next words are kept per context
    /// for decoding.
    public init(_ counts: TrigramCounts, vocabularySize: Int, discount: Double = 0.75, followers: Int = 16) {
        precondition(discount > 0 && discount < 1, "the discount must lie in (0, 1)")
        precondition(vocabularySize > 3, "the vocabulary must hold a word besides the reserved ids")
        self.discount = discount
        self.vocabularySize = vocabularySize
        trigrams = counts.trigrams
        bigrams = counts.bigrams
        unigrams = counts.unigrams
        tokens = counts.tokens

        var trigramContexts: [UInt64: ContextMass] = [:]
        var trigramNext: [UInt64: [(Int32, Double)]] = [:]
        for (key, count) in counts.trigrams {
            let context = key >> 21, w = Int32(truncatingIfNeeded: key & 0x1F_FFFF)
            trigramContexts[context, default: ContextMass()].total += count
            trigramContexts[context]!.mass += min(count, discount)
            trigramNext[context, default: []].append((w, count))
        }
        var bigramContexts: [Int32: ContextMass] = [:]
        var bigramNext: [Int32: [(Int32, Double)]] = [:]
        for (key, count) in counts.bigrams {
            let v = Int32(truncatingIfNeeded: key >> 21), w = Int32(truncatingIfNeeded: key & 0x1F_FFFF)
            bigramContexts[v, default: ContextMass()].total += count
            bigramContexts[v]!.mass += min(count, discount)
            bigramNext[v, default: []].append((w, count))
        }
        self.trigramContexts = trigramContexts
        self.bigramContexts = bigramContexts
        // Most frequent first, ties by id: the same candidates every time.
        func top(_ next: [(Int32, Double)]) -> [Int32] {
            next.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(followers).map(\.0)
        }
        trigramFollowers = trigramNext.mapValues(top)
        bigramFollowers = bigramNext.mapValues(top)
    }

    /// P(w | u v).
    public func probability(_ w: Int32, after u: Int32, _ v: Int32) -> Double {
        let p2 = bigramProbability(w, after: v)
        guard let context = trigramContexts[TrigramCounts.key(u, v)] else { return p2 }
        let count = trigrams[TrigramCounts.key(u, v, w)] ?? 0
        return (count - min(count, discount)) / context.total + context.mass / context.total * p2
    }

    func bigramProbability(_ w: Int32, after v: Int32) -> Double {
        let p1 = unigramProbability(w)
        guard let context = bigramContexts[v] else { return p1 }
        let count = bigrams[TrigramCounts.key(v, w)] ?? 0
        return (count - min(count, discount)) / context.total + context.mass / context.total * p1
    }

    func unigramProbability(_ w: Int32) -> Double {
        guard w != Vocabulary.start else { return 0 }
        return ((unigrams[w] ?? 0) + 1) / (tokens + Double(vocabularySize - 1))
    }

    /// The words most often seen after (u, v) and after v, most frequent first.
    func followers(after u: Int32, _ v: Int32) -> [Int32] {
        (trigramFollowers[TrigramCounts.key(u, v)] ?? []) + (bigramFollowers[v] ?? [])
    }
}
