/// ROUGE-1 (unigram overlap) between a reference and a candidate text, as
/// `rouge-score`'s `RougeScorer(["rouge1"]).score(reference, candidate)`
/// computes it:
///
///     overlap   = Σ over reference tokens t of min(count_ref(t), count_cand(t))
///     precision = overlap / max(|candidate tokens|, 1)
///     recall    = overlap / max(|reference tokens|, 1)
///     F         = 2·precision·recall / (precision + recall), or 0 when both are 0
///
/// in that order of floating-point operations, so the results are the
/// reference's bit for bit.
public struct RougeOne: Sendable {
    public struct Score: Equatable, Sendable {
        public var precision: Double
        public var recall: Double
        public var f: Double

        public init(precision: Double, recall: Double, f: Double) {
            self.precision = precision
            self.recall = recall
            self.f = f
        }
    }

    private let tokenizer = RougeTokenizer()

    public init() {}

    public func score(reference: String, candidate: String) -> Score {
        Self.score(reference: counts(tokenizer.tokens(reference)), candidate: counts(tokenizer.tokens(candidate)))
    }

    /// Token counts of one text: what the score needs of it, so a text met
    /// many times is tokenized once.
    public func counts(_ text: String) -> TokenCounts {
        counts(tokenizer.tokens(text))
    }

    private func counts(_ tokens: [Substring]) -> TokenCounts {
        var counts: [Substring: Int] = [:]
        for token in tokens { counts[token, default: 0] += 1 }
        return TokenCounts(counts: counts, total: tokens.count)
    }

    public static func score(reference: TokenCounts, candidate: TokenCounts) -> Score {
        var overlap = 0
        for (token, count) in reference.counts {
            overlap += min(count, candidate.counts[token] ?? 0)
        }
        let precision = Double(overlap) / Double(max(candidate.total, 1))
        let recall = Double(overlap) / Double(max(reference.total, 1))
        let f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return Score(precision: precision, recall: recall, f: f)
    }
}

/// A text's unigram counts and its number of tokens.
public struct TokenCounts: Sendable {
    let counts: [Substring: Int]
    public let total: Int
}
