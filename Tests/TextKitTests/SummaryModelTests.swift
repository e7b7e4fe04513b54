import Foundation
@testable import TextKit
import XCTest

final class SummaryModelTests: XCTestCase {
    /// Words a b c as ids 3 4 5; one sequence "a b" at weight 1.
    /// Trigrams: (s s a) (s a b) (a b /s); bigrams (s a) (a b) (b /s);
    /// unigrams a, b, /s: N = 3, V = 6 (3 reserved + a b c).
    /// P1(c) = (0 + 1)/(3 + 5) = 1/8, P1(b) = 2/8.
    /// P2(b | a) = (1 − 0.75)/1 + 0.75/1 · P1(b) = 0.25 + 0.1875 = 0.4375.
    /// P3(b | s a) = 0.25 + 0.75 · P2(b | a) = 0.578125.
    /// P3(c | s a) = 0 + 0.75 · (0 + 0.75 · 1/8) = 0.0703125.
    func testHandComputedProbabilities() {
        var counts = TrigramCounts()
        counts.add([3, 4])
        let model = TrigramModel(counts, vocabularySize: 6)
        XCTAssertEqual(model.unigramProbability(5), 1.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(model.bigramProbability(4, after: 3), 0.4375, accuracy: 1e-15)
        XCTAssertEqual(model.probability(4, after: Vocabulary.start, 3), 0.578125, accuracy: 1e-15)
        XCTAssertEqual(model.probability(5, after: Vocabulary.start, 3), 0.0703125, accuracy: 1e-15)
        XCTAssertEqual(model.unigramProbability(Vocabulary.start), 0)
    }

    /// Each context's distribution sums to 1 over the words that can
    /// follow, with fractional (fine-tuned) counts below the discount too.
    func testDistributionsSumToOne() {
        var counts = TrigramCounts()
        counts.add([3, 4, 5, 3, 4], weight: 0.3)
        counts.add([4, 4, 6], weight: 1)
        counts.add([7, 3], weight: 0.05)
        let model = TrigramModel(counts, vocabularySize: 9)
        for (u, v) in [(Vocabulary.start, Vocabulary.start), (Vocabulary.start, 3), (3, 4), (4, 4), (8, 8), (7, 3)] {
            let total = (1..<9).map { model.probability(Int32($0), after: Int32(u), Int32(v)) }.reduce(0, +)
            XCTAssertEqual(total, 1, accuracy: 1e-12, "context (\(u), \(v))")
        }
    }

    /// A fine-tuned model (base tables + added counts) gives the same
    /// probabilities as one built from all the counts at once.
    func testFineTunedEqualsMergedCounts() {
        var base = TrigramCounts(), added = TrigramCounts()
        base.add([3, 4, 5, 3, 4], weight: 0.05)
        base.add([6, 4, 4], weight: 0.05)
        added.add([3, 4, 6])
        added.add([4, 4], weight: 0.4)
        var merged = base
        merged.add(added)
        let tuned = TrigramModel(base: TrigramModel(base, vocabularySize: 8), adding: added)
        let direct = TrigramModel(merged, vocabularySize: 8)
        for u in 0..<8 { for v in 0..<8 { for w in 1..<8 {
            XCTAssertEqual(tuned.probability(Int32(w), after: Int32(u), Int32(v)),
                           direct.probability(Int32(w), after: Int32(u), Int32(v)), accuracy: 1e-14)
        } } }
    }

    /// EM's weights maximize the likelihood: no point of a fine grid over
    /// the simplex does better.
    func testCopyWeightMaximizesLikelihood() {
        let pairs: [(document: [Int32], summary: [Int32])] = [
            ([3, 4, 5, 6], [3, 5]), ([6, 7, 8], [7, 9]), ([3, 9, 10], [9, 10, 11]), ([12, 4], [4, 4]),
        ]
        var counts = TrigramCounts()
        counts.add([9, 11, 5])
        let language = TrigramModel(counts, vocabularySize: 13)
        let fitted = SummaryModelTrainer().mixtureWeights(language: language, pairs: pairs)
        func likelihood(_ weights: MixtureWeights) -> Double {
            SummaryModel(language: language, weights: weights).logProbabilitySum(pairs)
        }
        let best = likelihood(fitted)
        var gridBest = -Double.infinity
        for i in 1..<200 {
            for j in 1..<(200 - i) {
                let weights = MixtureWeights(language: Double(i) / 200, position: Double(j) / 200, span: Double(200 - i - j) / 200)
                gridBest = max(gridBest, likelihood(weights))
            }
        }
        XCTAssertGreaterThanOrEqual(best, gridBest - 1e-9)
        XCTAssertLessThan(best - gridBest, 0.01, "the grid comes close to the optimum")
    }

    func testGreedyIsABeamOfOneAndBeamsAreSorted() {
        var counts = TrigramCounts()
        counts.add([3, 4, 5]); counts.add([3, 4, 6]); counts.add([7, 8])
        let model = SummaryModel(language: TrigramModel(counts, vocabularySize: 10),
                                 weights: MixtureWeights(language: 0.5, position: 0.3, span: 0.2))
        let document = model.document([3, 4, 9, 9, 5])
        let beam = model.beam(document: document, width: 5)
        XCTAssertEqual(beam.count, 5)
        XCTAssertEqual(model.greedy(document: document), model.beam(document: document, width: 1)[0].words)
        let scores = beam.map { $0.logProbability / Double($0.words.count + 1) }
        XCTAssertEqual(beam.count, Set(beam.map(\.words)).count, "no summary twice")
        XCTAssertEqual(scores, scores.sorted(by: >))
        for candidate in beam {
            XCTAssertFalse(candidate.words.isEmpty)
            XCTAssertEqual(candidate.logProbability, model.logProbability(summary: candidate.words, document: document), accuracy: 1e-12)
        }
        XCTAssertEqual(model.greedy(document: document), model.greedy(document: document))
    }

    /// On real text: fine-tuning on the fixture's training pairs writes
    /// summaries closer (ROUGE-1) to the held-out references than the base
    /// model does, and more pairs do better than an eighth of them.
    func testFineTuningLearnsToSummarize() throws {
        let pairs = try RougeOneTests.fixturePairs()
        let vocabulary = Vocabulary()
        let encoded = try pairs.map { (id: $0.id, document: try vocabulary.intern($0.article), summary: try vocabulary.intern($0.summary)) }
        let test = encoded.filter { pair in pairs.first { $0.id == pair.id }!.split == "test" }
        let train = encoded.filter { pair in pairs.first { $0.id == pair.id }!.split == "train" }
        let trainer = SummaryModelTrainer()
        let base = trainer.base(documents: train.map(\.document), vocabularySize: vocabulary.count)
        let all = trainer.fineTune(base: base, pairs: train.map { ($0.document, $0.summary) })
        let eighth = trainer.fineTune(base: base, pairs: train.enumerated().filter { $0.offset % 8 == 0 }.map { ($0.element.document, $0.element.summary) })
        let none = SummaryModel(language: base,
                                weights: MixtureWeights(language: 0.5, position: 0.25, span: 0.25))
        let rouge = RougeOne()
        func meanRouge(_ model: SummaryModel) -> Double {
            test.map { pair in
                rouge.score(reference: vocabulary.decode(pair.summary),
                            candidate: vocabulary.decode(model.greedy(document: model.document(pair.document)))).f
            }.reduce(0, +) / Double(test.count)
        }
        let (r0, r8, r1) = (meanRouge(none), meanRouge(eighth), meanRouge(all))
        print("fixture ROUGE-1 on \(test.count) test pairs: base \(r0), 1/8 of train \(r8), all train \(r1); weights \(eighth.weights), \(all.weights)")
        XCTAssertGreaterThan(r8, r0)
        XCTAssertGreaterThan(r1, r8)
    }
}

extension SummaryModel {
    func logProbabilitySum(_ pairs: [(document: [Int32], summary: [Int32])]) -> Double {
        pairs.map { logProbability(summary: $0.summary, document: document($0.document)) }.reduce(0, +)
    }
}
