import Foundation

/// A conditional model of a summary given its document, token by token:
///
///     P(w | u v, doc) = λ_lm · P3(w | u v) + λ_pos · P_pos(w | doc) + λ_span · P_span(w | v, doc)
///
/// a trigram language model over summaries (TrigramModel) mixed with two
/// copy distributions over the document's words (Document), the summary
/// ending with the `end` id (never copied). The weights are fitted by EM on
/// held-out pairs (SummaryModelTrainer). It scores a summary (log P(summary | doc),
/// the perplexity verifiers' quantity) and writes one, greedily or by beam
/// search over the words it can put next: the document's words and the
/// language model's most frequent followers of the context.
public struct SummaryModel: Sendable {
    public let language: TrigramModel
    public let weights: MixtureWeights
    /// The position distribution's decay per word (Document).
    public let positionDecay: Double

    public init(language: TrigramModel, weights: MixtureWeights, positionDecay: Double = 0.9) {
        self.language = language
        self.weights = weights
        self.positionDecay = positionDecay
    }

    /// `tokens` as this model's copy distributions read them.
    public func document(_ tokens: [Int32]) -> Document {
        Document(tokens, positionDecay: positionDecay)
    }

    /// log P(summary | document), summed over the summary's words and its end.
    public func logProbability(summary: [Int32], document: Document) -> Double {
        var u = Vocabulary.start, v = Vocabulary.start, total = 0.0
        for w in summary + [Vocabulary.end] {
            total += log(probability(w, after: u, v, document: document))
            (u, v) = (v, w)
        }
        return total
    }

    /// exp(−log P / (words + 1)): the summary's per-token perplexity.
    public func perplexity(summary: [Int32], document: Document) -> Double {
        exp(-logProbability(summary: summary, document: document) / Double(summary.count + 1))
    }

    func probability(_ w: Int32, after u: Int32, _ v: Int32, document: Document) -> Double {
        weights.language * language.probability(w, after: u, v)
            + weights.position * document.positionProbability(w)
            + weights.span * document.spanProbability(w, after: v)
    }

    /// A beam of one: the most likely next word at each step, stopped where
    /// the per-token likelihood is best.
    public func greedy(document: Document, maxWords: Int = 24) -> [Int32] {
        beam(document: document, width: 1, maxWords: maxWords)[0].words
    }

    /// A finished hypothesis of the beam.
    public struct Candidate: Equatable, Sendable {
        public var words: [Int32]
        public var logProbability: Double
    }

    /// Beam search: at each step every live hypothesis is extended by each
    /// word it can put next, and the `width` best by log P live on; a
    /// hypothesis that predicts `end` is finished and pooled. After
    /// `maxWords` steps the pool is ranked by log P / (words + 1)^lengthPenalty
    /// (per-token log-likelihood at the default 1, so that a summary is not
    /// cut short just because every further word costs probability) and the
    /// best `width` are returned, best first. A word that would repeat a
    /// bigram of its hypothesis is not proposed, and a summary has at least
    /// one word. Deterministic: ties go to the earlier hypothesis, then the
    /// smaller word id.
    public func beam(document: Document, width: Int, maxWords: Int = 24, lengthPenalty: Double = 1) -> [Candidate] {
        precondition(width >= 1 && maxWords >= 1, "a beam needs a width and a length of at least 1")
        var live = [Candidate(words: [], logProbability: 0)]
        var finished: [Candidate] = []
        for step in 0..<maxWords {
            var expansions: [(parent: Int, word: Int32, logP: Double)] = []
            for (index, hypothesis) in live.enumerated() {
                let u = hypothesis.words.count >= 2 ? hypothesis.words[hypothesis.words.count - 2] : Vocabulary.start
                let v = hypothesis.words.last ?? Vocabulary.start
                if step > 0 {
                    let end = hypothesis.logProbability + log(probability(Vocabulary.end, after: u, v, document: document))
                    finished.append(Candidate(words: hypothesis.words, logProbability: end))
                }
                for w in candidates(after: u, v, document: document) where !repeatsBigram(hypothesis.words, w) {
                    expansions.append((index, w, hypothesis.logProbability + log(probability(w, after: u, v, document: document))))
                }
            }
            expansions.sort { $0.logP != $1.logP ? $0.logP > $1.logP : ($0.parent, $0.word) < ($1.parent, $1.word) }
            live = expansions.prefix(width).map { Candidate(words: live[$0.parent].words + [$0.word], logProbability: $0.logP) }
            if live.isEmpty { break }
        }
        for hypothesis in live {
            let u = hypothesis.words.count >= 2 ? hypothesis.words[hypothesis.words.count - 2] : Vocabulary.start
            let v = hypothesis.words.last ?? Vocabulary.start
            let end = hypothesis.logProbability + log(probability(Vocabulary.end, after: u, v, document: document))
            finished.append(Candidate(words: hypothesis.words, logProbability: end))
        }
        func score(_ c: Candidate) -> Double { c.logProbability / pow(Double(c.words.count + 1), lengthPenalty) }
        let ranked = finished.enumerated().sorted { a, b in
            let (sa, sb) = (score(a.element), score(b.element))
            return sa != sb ? sa > sb : a.offset < b.offset
        }
        return ranked.prefix(width).map(\.element)
    }

    /// The words a hypothesis can put next (`end` aside): the document's
    /// and the language model's frequent followers of the context.
    private func candidates(after u: Int32, _ v: Int32, document: Document) -> [Int32] {
        var seen = Set<Int32>()
        var out: [Int32] = []
        for w in document.words + language.followers(after: u, v)
        where w != Vocabulary.start && w != Vocabulary.unknown && w != Vocabulary.end && seen.insert(w).inserted {
            out.append(w)
        }
        return out
    }

    private func repeatsBigram(_ words: [Int32], _ w: Int32) -> Bool {
        guard let last = words.last, words.count >= 2 else { return false }
        for i in 0..<(words.count - 1) where words[i] == last && words[i + 1] == w { return true }
        return false
    }
}

/// A document as the copy distributions read it.
///
/// * position: P_pos(w | doc) ∝ Σ over w's positions i of decay^i — a
///   summary's words come mostly from a document's first sentences;
/// * span: P_span(w | v, doc) — uniform over the words that follow an
///   occurrence of v (the previous summary word) in the document, so a
///   summary can copy a phrase; where v does not occur (or ends the
///   document), P_pos instead, so that the distribution is always defined.
public struct Document: Sendable {
    /// Its distinct words, in order of first appearance.
    public let words: [Int32]
    private let position: [Int32: Double]
    private let followers: [Int32: [Int32: Double]]

    public init(_ tokens: [Int32], positionDecay: Double = 0.9) {
        precondition(positionDecay > 0 && positionDecay <= 1, "the position decay must lie in (0, 1]")
        let tokens = tokens.filter { $0 != Vocabulary.unknown }
        var weights: [Int32: Double] = [:], words: [Int32] = [], total = 0.0, weight = 1.0
        for w in tokens {
            if weights[w] == nil { words.append(w) }
            weights[w, default: 0] += weight
            total += weight
            weight *= positionDecay
        }
        position = total > 0 ? weights.mapValues { $0 / total } : [:]
        var followers: [Int32: [Int32: Double]] = [:]
        for (v, w) in zip(tokens, tokens.dropFirst()) { followers[v, default: [:]][w, default: 0] += 1 }
        self.followers = followers.mapValues { next in
            let count = next.values.reduce(0, +)
            return next.mapValues { $0 / count }
        }
        self.words = words
    }

    func positionProbability(_ w: Int32) -> Double { position[w] ?? 0 }

    func spanProbability(_ w: Int32, after v: Int32) -> Double {
        guard let next = followers[v] else { return positionProbability(w) }
        return next[w] ?? 0
    }
}

/// The mixture's three weights, summing to 1.
public struct MixtureWeights: Equatable, Sendable {
    public var language: Double
    public var position: Double
    public var span: Double

    public init(language: Double, position: Double, span: Double) {
        precondition([language, position, span].allSatisfy { $0 >= 0 } && abs(language + position + span - 1) < 1e-9,
                      "mixture weights must be non-negative and sum to 1")
        self.language = language
        self.position = position
        self.span = span
    }
}
