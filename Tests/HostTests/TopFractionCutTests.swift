@testable import AssayHost
import AssayTestSupport
import XCTest

/// The cut of a top-fraction verifier: exactly round(fraction · N) pairs
/// kept, everything above the cut kept, ties broken at random but
/// reproducibly from the seed.
final class TopFractionCutTests: XCTestCase {
    private func kept(_ scores: [Double], fraction: Double, seed: UInt64 = 1, verifier: String = "v") -> Set<Int> {
        let cut = TopFractionCut(scores: scores, fraction: fraction, seed: seed, verifier: verifier)
        return Set(scores.indices.filter { cut.keeps(score: scores[$0], row: $0) })
    }

    /// 1000 scores, 200 of them 1 and the rest 0, shuffled.
    private func binaryScores(ones: Int = 200, count: Int = 1000) -> [Double] {
        var generator = SeededRandom(seed: 42)
        var scores = [Double](repeating: 0, count: count)
        for i in 0..<ones { scores[i] = 1 }
        scores.shuffle(using: &generator)
        return scores
    }

    func testKeepsExactlyRoundedFractionWithHeavyTies() {
        let scores = binaryScores()
        for fraction in [0.05, 0.2, 0.3, 0.5, 0.777, 0.999] {
            let expected = Int((fraction * 1000).rounded())
            XCTAssertEqual(kept(scores, fraction: fraction).count, expected, "fraction \(fraction)")
        }
        // Not a multiple: 0.3 · 1001 = 300.3 → 300; 0.3337 · 1001 = 334.03 → 334.
        let odd = binaryScores(ones: 500, count: 1001)
        XCTAssertEqual(kept(odd, fraction: 0.3).count, 300)
        XCTAssertEqual(kept(odd, fraction: 0.3337).count, 334)
    }

    func testAllScoresTied() {
        let scores = [Double](repeating: 0, count: 500)
        XCTAssertEqual(kept(scores, fraction: 0.25).count, 125)
        XCTAssertEqual(kept(scores, fraction: 1).count, 500)
        let ones = [Double](repeating: 1, count: 500)
        XCTAssertEqual(kept(ones, fraction: 0.5).count, 250)
    }

    func testKeepsEveryScoreStrictlyAboveTheCut() {
        let scores = binaryScores()
        let ones = Set(scores.indices.filter { scores[$0] == 1 })
        let selection = kept(scores, fraction: 0.3)
        XCTAssertEqual(selection.count, 300)
        XCTAssertTrue(ones.isSubset(of: selection), "every score of 1 (above the cut 0) must be kept")
        // And when the fraction falls inside the ones, no zero is kept.
        let fewer = kept(scores, fraction: 0.1)
        XCTAssertEqual(fewer.count, 100)
        XCTAssertTrue(fewer.isSubset(of: ones))
    }

    func testDistinctScoresKeepTheTopOnes() {
        // Scores 0..<100 in a scrambled order: the top 37 are 63...99.
        var generator = SeededRandom(seed: 9)
        let scores = (0..<100).map(Double.init).shuffled(using: &generator)
        let selection = kept(scores, fraction: 0.37)
        XCTAssertEqual(Set(selection.map { scores[$0] }), Set((63..<100).map(Double.init)), "\(generator)")
    }

    func testTinyFractionKeepsNothingAndFractionOneKeepsAll() {
        let scores = binaryScores()
        XCTAssertEqual(kept(scores, fraction: 0.0001).count, 0)   // round(0.1) = 0
        XCTAssertEqual(kept(scores, fraction: 1).count, 1000)
    }

    func testSameSeedGivesTheSameSelection() {
        let scores = binaryScores()
        let first = kept(scores, fraction: 0.5, seed: 17, verifier: "margin")
        let second = kept(scores, fraction: 0.5, seed: 17, verifier: "margin")
        XCTAssertEqual(first, second)
        // Asking row by row in any order gives the same answers.
        let cut = TopFractionCut(scores: scores, fraction: 0.5, seed: 17, verifier: "margin")
        let reversed = Set(scores.indices.reversed().filter { cut.keeps(score: scores[$0], row: $0) })
        XCTAssertEqual(reversed, first)
    }

    func testDifferentSeedsBreakTiesDifferently() {
        let scores = binaryScores()
        let zeros = Set(scores.indices.filter { scores[$0] == 0 })
        let a = kept(scores, fraction: 0.5, seed: 1).intersection(zeros)
        let b = kept(scores, fraction: 0.5, seed: 2).intersection(zeros)
        XCTAssertEqual(a.count, 300)
        XCTAssertEqual(b.count, 300)
        XCTAssertNotEqual(a, b, "a new seed must draw new tie-breaks")
        // Two independent draws of 300 of 800 share about 300²/800 ≈ 112.
        XCTAssertLessThan(a.intersection(b).count, 200)
        // The verifier's name also enters the tie keys.
        let c = kept(scores, fraction: 0.5, seed: 1, verifier: "other").intersection(zeros)
        XCTAssertNotEqual(a, c)
    }

    func testTieBreaksAreNotBiasedTowardsLowRows() {
        let scores = [Double](repeating: 0.5, count: 2000)
        let selection = kept(scores, fraction: 0.25, seed: 5)
        XCTAssertEqual(selection.count, 500)
        let lowerHalf = selection.filter { $0 < 1000 }.count
        // Binomial(500, 1/2): mean 250, sd ≈ 11.
        XCTAssertEqual(Double(lowerHalf), 250, accuracy: 60)
    }
}

/// The cut inside a real run, on a pool larger than the search's sample
/// (2^20), so that the bracketing scans are used: the fixture top-correct
/// scores by the fixture task's binary similarity, all ties.
final class TopFractionRunTests: XCTestCase {
    func testHeavyTiesOnALargePoolThroughTheCLI() throws {
        let scratch = try TemporaryFolder("assay-top-fraction")
        defer { scratch.remove() }
        let pool = 1_100_001
        // One column keeps a pool of a million cheap in a debug build; the
        // generator is wrong on x in (0.5, 0.6], about 10 % of the pool.
        let path = try scratch.write("ties.toml", try FixturePlugins.config(
            seed: 4, pool: pool, chunk: 65536, test: 1000, retrain: [100],
            verifiers: FixturePlugins.verifier("top-half", "top-correct", "fraction = 0.5")
                + FixturePlugins.verifier("top-most", "top-correct", "fraction = 0.99")))
        let result = try assay(["run", path, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try jsonObject(result.stdout)
        let half = try XCTUnwrap(entry(document, "top-half"))
        let most = try XCTUnwrap(entry(document, "top-most"))
        let p = try XCTUnwrap(half["p"] as? Double)
        let good = (Double(pool) * (1 - p)).rounded()
        let bad = Double(pool) - good
        XCTAssertTrue(good > 0.5 * Double(pool) && good < 0.99 * Double(pool), "good pairs: \(good)")

        // round(0.5 · 1 100 001) = round(550 000.5) = 550 001.
        XCTAssertEqual(half["kept"] as? Int, 550_001)
        // Fewer than the good pairs: only good pairs (score 1) are kept.
        XCTAssertEqual(half["psi"] as? Double, 0)
        XCTAssertEqual(try XCTUnwrap(half["phi"] as? Double), 550_001 / good, accuracy: 1e-12)

        // round(0.99 · 1 100 001) = round(1 089 000.99) = 1 089 001.
        XCTAssertEqual(most["kept"] as? Int, 1_089_001)
        // Every good pair scores above the cut and is kept; the rest are
        // bad pairs chosen among the ties.
        XCTAssertEqual(most["phi"] as? Double, 1)
        XCTAssertEqual(try XCTUnwrap(most["psi"] as? Double), (1_089_001 - good) / bad, accuracy: 1e-12)
    }
}
