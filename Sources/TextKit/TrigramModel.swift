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
///
/// Fine-tuning adds counts to a base model's (SummaryModelTrainer). The
/// base's tables are built once and shared; a fine-tuned model holds only
/// the added counts (`delta`) and reads c = c_base + c_delta, so fine-tuning
/// costs what its own data costs, not what the base's does.
public struct TrigramModel: Sendable {
    public let discount: Double
    public let vocabularySize: Int
    private let base: NGramTables
    private let delta: NGramTables?

    /// The model of `counts`; `followers` next words are kept per context
    /// for decoding.
    public init(_ counts: TrigramCounts, vocabularySize: Int, discount: Double = 0.75, followers: Int = 16) {
        precondition(discount > 0 && discount < 1, "the discount must lie in (0, 1)")
        precondition(vocabularySize > 3, "the vocabulary must hold a word besides the reserved ids")
        self.discount = discount
        self.vocabularySize = vocabularySize
        base = NGramTables(counts, under: nil, discount: discount, followers: followers)
        delta = nil
    }

    /// `base` with `added` counts on top (its discount and vocabulary).
    public init(base: TrigramModel, adding added: TrigramCounts, followers: Int = 16) {
        precondition(base.delta == nil, "fine-tune from a base model, not from a fine-tuned one")
        discount = base.discount
        vocabularySize = base.vocabularySize
        self.base = base.base
        delta = NGramTables(added, under: base.base, discount: discount, followers: followers)
    }

    /// P(w | u v).
    public func probability(_ w: Int32, after u: Int32, _ v: Int32) -> Double {
        let p2 = bigramProbability(w, after: v)
        let context = TrigramCounts.key(u, v)
        guard let mass = contextMass(base.trigramContexts[context], delta?.trigramContexts[context]) else { return p2 }
        let key = TrigramCounts.key(u, v, w)
        let count = (base.trigrams[key] ?? 0) + (delta?.trigrams[key] ?? 0)
        return (count - min(count, discount)) / mass.total + mass.mass / mass.total * p2
    }

    func bigramProbability(_ w: Int32, after v: Int32) -> Double {
        let p1 = unigramProbability(w)
        guard let mass = contextMass(base.bigramContexts[v], delta?.bigramContexts[v]) else { return p1 }
        let key = TrigramCounts.key(v, w)
        let count = (base.bigrams[key] ?? 0) + (delta?.bigrams[key] ?? 0)
        return (count - min(count, discount)) / mass.total + mass.mass / mass.total * p1
    }

    func unigramProbability(_ w: Int32) -> Double {
        guard w != Vocabulary.start else { return 0 }
        let count = (base.unigrams[w] ?? 0) + (delta?.unigrams[w] ?? 0)
        return (count + 1) / (base.tokens + (delta?.tokens ?? 0) + Double(vocabularySize - 1))
    }

    /// A context's total and discounted mass: the base's, corrected by the
    /// delta's (whose mass is already the change of Σ min(c, D)).
    private func contextMass(_ base: ContextMass?, _ delta: ContextMass?) -> ContextMass? {
        switch (base, delta) {
        case (nil, nil): return nil
        case let (b?, nil): return b
        case let (nil, d?): return d
        case let (b?, d?): return ContextMass(total: b.total + d.total, mass: b.mass + d.mass)
        }
    }

    /// The words most often seen after (u, v) and after v, most frequent
    /// first (the fine-tuning data's before the base's).
    func followers(after u: Int32, _ v: Int32) -> [Int32] {
        let context = TrigramCounts.key(u, v)
        return (delta?.trigramFollowers[context] ?? []) + (base.trigramFollowers[context] ?? [])
            + (delta?.bigramFollowers[v] ?? []) + (base.bigramFollowers[v] ?? [])
    }
}

/// A context's total count and its discounted mass Σ min(c, D).
struct ContextMass: Sendable {
    var total = 0.0
    var mass = 0.0
}

/// One set of count tables with their contexts' masses and followers.
/// Built `under` a base, the masses are the changes that the counts make to
/// the base's: for each added count, min(c_base + c, D) − min(c_base, D).
final class NGramTables: Sendable {
    let trigrams: [UInt64: Double]
    let bigrams: [UInt64: Double]
    let unigrams: [Int32: Double]
    let tokens: Double
    let trigramContexts: [UInt64: ContextMass]
    let bigramContexts: [Int32: ContextMass]
    let trigramFollowers: [UInt64: [Int32]]
    let bigramFollowers: [Int32: [Int32]]

    init(_ counts: TrigramCounts, under base: NGramTables?, discount: Double, followers: Int) {
        trigrams = counts.trigrams
        bigrams = counts.bigrams
        unigrams = counts.unigrams
        tokens = counts.tokens
        func massChange(_ added: Double, over existing: Double) -> Double {
            min(existing + added, discount) - min(existing, discount)
        }
        var trigramContexts: [UInt64: ContextMass] = [:]
        var trigramNext: [UInt64: [(Int32, Double)]] = [:]
        for (key, count) in counts.trigrams {
            let context = key >> 21, w = Int32(truncatingIfNeeded: key & 0x1F_FFFF)
            trigramContexts[context, default: ContextMass()].total += count
            trigramContexts[context]!.mass += massChange(count, over: base?.trigrams[key] ?? 0)
            if followers > 0 { trigramNext[context, default: []].append((w, count)) }
        }
        var bigramContexts: [Int32: ContextMass] = [:]
        var bigramNext: [Int32: [(Int32, Double)]] = [:]
        for (key, count) in counts.bigrams {
            let v = Int32(truncatingIfNeeded: key >> 21), w = Int32(truncatingIfNeeded: key & 0x1F_FFFF)
            bigramContexts[v, default: ContextMass()].total += count
            bigramContexts[v]!.mass += massChange(count, over: base?.bigrams[key] ?? 0)
            if followers > 0 { bigramNext[v, default: []].append((w, count)) }
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
}
