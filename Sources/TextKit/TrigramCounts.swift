/// Weighted trigram counts of word sequences, each padded with two `start`
/// ids before and one `end` after. Counts are weights, not integers, so
/// that a model can be "fine-tuned": the base model's counts from the
/// documents at a small weight, then the summaries' at weight 1 (see
/// SummaryModel).
public struct TrigramCounts {
    var trigrams: [UInt64: Double] = [:]
    var bigrams: [UInt64: Double] = [:]
    var unigrams: [Int32: Double] = [:]
    public private(set) var tokens: Double = 0

    public init() {}

    static func key(_ u: Int32, _ v: Int32, _ w: Int32) -> UInt64 {
        UInt64(UInt32(u)) << 42 | UInt64(UInt32(v)) << 21 | UInt64(UInt32(w))
    }

    static func key(_ v: Int32, _ w: Int32) -> UInt64 {
        UInt64(UInt32(v)) << 21 | UInt64(UInt32(w))
    }

    /// Adds one sequence (without its padding) at `weight`.
    public mutating func add(_ sequence: [Int32], weight: Double = 1) {
        precondition(weight > 0 && weight.isFinite, "a count weight must be positive and finite")
        var u = Vocabulary.start, v = Vocabulary.start
        for w in sequence + [Vocabulary.end] {
            trigrams[Self.key(u, v, w), default: 0] += weight
            bigrams[Self.key(v, w), default: 0] += weight
            unigrams[w, default: 0] += weight
            tokens += weight
            (u, v) = (v, w)
        }
    }

    /// Adds every count of `other` (the same as adding its sequences again).
    public mutating func add(_ other: TrigramCounts) {
        trigrams.merge(other.trigrams, uniquingKeysWith: +)
        bigrams.merge(other.bigrams, uniquingKeysWith: +)
        unigrams.merge(other.unigrams, uniquingKeysWith: +)
        tokens += other.tokens
    }
}
