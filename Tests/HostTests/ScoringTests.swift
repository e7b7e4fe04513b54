@testable import AssayHost
import AssayTestSupport
import Foundation
import Numerics
import XCTest

/// Tally and SelectionScore (p, ϕ, ψ, p* and their intervals) on cases
/// computed by hand from the definitions of the paper's Appendix C:
///   p = 1 − E[s],  ϕ = E[q·s]/(1 − p),  ψ = E[q·(1 − s)]/p,  p* = 1/(1 + ψ/ϕ).
final class ScoringTests: XCTestCase {
    private func tally(_ s: [Double], _ q: [Bool]) -> Tally {
        precondition(s.count == q.count)
        var tally = Tally()
        for (similarity, keep) in zip(s, q) { tally.add(similarity: similarity, keep: keep) }
        return tally
    }

    private func tally(_ s: [Double], _ q: [Int]) -> Tally {
        tally(s, q.map { $0 == 1 })
    }

    /// The Wilson score interval written out in the test, independently of
    /// Numerics: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
    private func wilson(_ k: Double, _ n: Double, z: Double) -> (lower: Double, upper: Double) {
        let p = k / n
        let denominator = 1 + z * z / n
        let centre = p + z * z / (2 * n)
        let spread = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return ((centre - spread) / denominator, (centre + spread) / denominator)
    }

    private let z95 = 1.959963984540054    // Φ⁻¹(0.975)
    private let z975 = 2.241402727604947   // Φ⁻¹(0.9875): two-sided 97.5 %

    // MARK: Point estimates

    func testBinarySimilarityHandComputed() throws {
        // 6 good pairs, 3 of them kept; 4 bad pairs, 1 of them kept.
        let t = tally([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(t.pairs, 10)
        XCTAssertEqual(t.kept, 4)
        XCTAssertEqual(t.good, 6)
        XCTAssertEqual(t.bad, 4)
        XCTAssertEqual(t.goodKept, 3)
        XCTAssertEqual(t.badKept, 1)

        let score = SelectionScore(t)
        XCTAssertEqual(score.pairs, 10)
        XCTAssertEqual(score.kept, 4)
        XCTAssertEqual(score.p, 0.4, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.phi), 0.5, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.psi), 0.25, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.pStar), 2.0 / 3.0, accuracy: 1e-15)
    }

    func testContinuousSimilarityHandComputed() throws {
        // Σs = 1.5 so p = 1 − 1.5/3 = 0.5; Σq·s = 1.5 → ϕ = 1;
        // Σq·(1−s) = 0.5 of Σ(1−s) = 1.5 → ψ = 1/3; p* = 1/(1 + 1/3) = 0.75.
        let t = tally([1, 0.5, 0], [1, 1, 0])
        let score = SelectionScore(t)
        XCTAssertEqual(score.p, 0.5, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.phi), 1, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.psi), 1.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.pStar), 0.75, accuracy: 1e-15)
    }

    func testContinuousSimilarityWithPartialKeeps() throws {
        // s = [0.75, 0.25, 1, 0], q = [1, 0, 0, 1]:
        // Σs = 2 → p = 0.5; Σq·s = 0.75 → ϕ = 0.375;
        // Σq·(1−s) = 0.25 + 1 = 1.25 of Σ(1−s) = 2 → ψ = 0.625; p* = 0.375.
        let score = SelectionScore(tally([0.75, 0.25, 1, 0], [1, 0, 0, 1]))
        XCTAssertEqual(score.p, 0.5, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.phi), 0.375, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.psi), 0.625, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(score.pStar), 0.375, accuracy: 1e-15)
    }

    // MARK: Intervals

    func testWilsonIntervalsOfBinaryCaseMatchClosedForm() throws {
        // 300 good pairs of which 240 kept; 100 bad pairs of which 15 kept.
        var s: [Double] = [], q: [Bool] = []
        for i in 0..<300 { s.append(1); q.append(i < 240) }
        for i in 0..<100 { s.append(0); q.append(i < 15) }
        let score = SelectionScore(tally(s, q))

        let phi = wilson(240, 300, z: z95)
        let phiInterval = try XCTUnwrap(score.phiInterval)
        XCTAssertEqual(phiInterval.lower, phi.lower, accuracy: 1e-12)
        XCTAssertEqual(phiInterval.upper, phi.upper, accuracy: 1e-12)
        // Sanity of the closed form itself: ϕ̂ = 0.8 lies inside, the width
        // is about 2·1.96·√(0.8·0.2/300) ≈ 0.09.
        XCTAssertLessThan(phi.lower, 0.8)
        XCTAssertGreaterThan(phi.upper, 0.8)
        XCTAssertEqual(phi.upper - phi.lower, 0.09, accuracy: 0.005)

        let psi = wilson(15, 100, z: z95)
        let psiInterval = try XCTUnwrap(score.psiInterval)
        XCTAssertEqual(psiInterval.lower, psi.lower, accuracy: 1e-12)
        XCTAssertEqual(psiInterval.upper, psi.upper, accuracy: 1e-12)
    }

    func testSmallBinaryCaseIntervalsByHand() throws {
        // ϕ̂ = 3/6: Wilson 95 % with n = 6, z² = 3.8415 is
        // (0.5 + 0.32012 ± 1.96·√(0.041667 + 0.026677)) / 1.64025
        // = (0.82012 ± 0.51239) / 1.64025 = [0.18762, 0.81238].
        let score = SelectionScore(tally([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 1, 0, 0, 0]))
        let phiInterval = try XCTUnwrap(score.phiInterval)
        XCTAssertEqual(phiInterval.lower, 0.18762, accuracy: 1e-4)
        XCTAssertEqual(phiInterval.upper, 0.81238, accuracy: 1e-4)
    }

    func testPStarIntervalIsImageOfTheBonferroniBox() throws {
        // The 10-pair case: ϕ from 3 of 6, ψ from 1 of 4, both at 97.5 %.
        let score = SelectionScore(tally([1, 1, 1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 1, 0, 0, 0]))
        let phi = wilson(3, 6, z: z975)
        let psi = wilson(1, 4, z: z975)
        // p* = ϕ/(ϕ + ψ) grows with ϕ and falls with ψ: its extremes over the
        // box are at the corners (ϕ_lo, ψ_hi) and (ϕ_hi, ψ_lo).
        let lower = phi.lower / (phi.lower + psi.upper)
        let upper = phi.upper / (phi.upper + psi.lower)
        let interval = try XCTUnwrap(score.pStarInterval)
        XCTAssertEqual(interval.lower, lower, accuracy: 1e-12)
        XCTAssertEqual(interval.upper, upper, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(interval.lower, 2.0 / 3.0)
        XCTAssertGreaterThanOrEqual(interval.upper, 2.0 / 3.0)
        // Wider than what the 95 % intervals' corners would give.
        let phi95 = wilson(3, 6, z: z95), psi95 = wilson(1, 4, z: z95)
        XCTAssertLessThan(interval.lower, phi95.lower / (phi95.lower + psi95.upper))
        XCTAssertGreaterThan(interval.upper, phi95.upper / (phi95.upper + psi95.lower))
    }

    func testPStarIntervalContainsPStarOnVariedCases() throws {
        let cases: [(good: Int, goodKept: Int, bad: Int, badKept: Int)] = [
            (50, 40, 50, 10), (1000, 999, 20, 3), (7, 1, 93, 80), (400, 200, 600, 300),
        ]
        for c in cases {
            var s: [Double] = [], q: [Bool] = []
            for i in 0..<c.good { s.append(1); q.append(i < c.goodKept) }
            for i in 0..<c.bad { s.append(0); q.append(i < c.badKept) }
            let score = SelectionScore(tally(s, q))
            let pStar = try XCTUnwrap(score.pStar)
            let interval = try XCTUnwrap(score.pStarInterval, "\(c)")
            XCTAssertLessThanOrEqual(interval.lower, pStar, "\(c)")
            XCTAssertGreaterThanOrEqual(interval.upper, pStar, "\(c)")
            XCTAssertGreaterThanOrEqual(interval.lower, 0)
            XCTAssertLessThanOrEqual(interval.upper, 1)
            let phi = try XCTUnwrap(score.phiInterval), psi = try XCTUnwrap(score.psiInterval)
            XCTAssertTrue(phi.lower <= score.phi! && score.phi! <= phi.upper, "\(c)")
            XCTAssertTrue(psi.lower <= score.psi! && score.psi! <= psi.upper, "\(c)")
        }
    }

    // MARK: Edge cases

    func testOracleHasPsiZeroAndPStarExactlyOne() throws {
        let s: [Double] = [1, 0, 1, 1, 0, 0, 1, 1]
        let score = SelectionScore(tally(s, s.map { $0 == 1 }))
        XCTAssertEqual(score.phi, 1)
        XCTAssertEqual(score.psi, 0)
        XCTAssertEqual(score.pStar, 1, "oracle p* must be exactly 1")
        let interval = try XCTUnwrap(score.pStarInterval)
        XCTAssertEqual(interval.upper, 1)
        XCTAssertLessThan(interval.lower, 1)
        XCTAssertEqual(score.psiInterval?.lower, 0)
    }

    func testKeepingEverythingGivesPStarExactlyOneHalf() throws {
        let s: [Double] = [1, 0, 0.3, 1, 0, 0.9, 0.5]
        let score = SelectionScore(tally(s, Array(repeating: true, count: s.count)))
        XCTAssertEqual(score.kept, s.count)
        XCTAssertEqual(score.phi, 1)
        XCTAssertEqual(score.psi, 1)
        XCTAssertEqual(score.pStar, 0.5, "keeping everything must give p* exactly 1/2")
    }

    func testNoBadPairsLeavesPsiAndPStarUndefined() {
        let score = SelectionScore(tally([1, 1, 1, 1], [1, 0, 1, 0]))
        XCTAssertEqual(score.p, 0)
        XCTAssertEqual(score.phi, 0.5)
        XCTAssertNil(score.psi)
        XCTAssertNil(score.psiInterval)
        XCTAssertNil(score.pStar)
        XCTAssertNil(score.pStarInterval)
    }

    func testNoGoodPairsLeavesPhiAndPStarUndefined() {
        let score = SelectionScore(tally([0, 0, 0], [1, 0, 0]))
        XCTAssertEqual(score.p, 1)
        XCTAssertNil(score.phi)
        XCTAssertNil(score.phiInterval)
        XCTAssertEqual(try XCTUnwrap(score.psi), 1.0 / 3.0, accuracy: 1e-15)
        XCTAssertNil(score.pStar)
    }

    func testKeepingNothingLeavesPStarUndefined() {
        let score = SelectionScore(tally([1, 0, 1, 0], [0, 0, 0, 0]))
        XCTAssertEqual(score.phi, 0)
        XCTAssertEqual(score.psi, 0)
        XCTAssertNil(score.pStar, "ϕ = ψ = 0: p* = 0/0 is undefined")
    }

    func testEmptyTally() {
        let score = SelectionScore(Tally())
        XCTAssertEqual(score.pairs, 0)
        XCTAssertTrue(score.p.isNaN)
        XCTAssertNil(score.phi)
        XCTAssertNil(score.psi)
        XCTAssertNil(score.pStar)
    }

    // MARK: Merging

    func testMergingTwoTalliesEqualsOneTallyOverTheConcatenation() {
        // Similarities on a dyadic grid: every partial sum is exact, so the
        // merged tally must equal the single one bit for bit.
        var generator = SeededRandom(seed: 213)
        let grid: [Double] = [0, 0.125, 0.25, 0.5, 0.75, 1]
        let s1 = (0..<500).map { _ in grid.randomElement(using: &generator)! }
        let q1 = (0..<500).map { _ in Bool.random(using: &generator) }
        let s2 = (0..<300).map { _ in grid.randomElement(using: &generator)! }
        let q2 = (0..<300).map { _ in Bool.random(using: &generator) }

        var merged = tally(s1, q1)
        merged.merge(tally(s2, q2))
        let whole = tally(s1 + s2, q1 + q2)
        XCTAssertEqual(merged, whole, "\(generator)")
        XCTAssertEqual(SelectionScore(merged), SelectionScore(whole), "\(generator)")
    }

    func testMergingContinuousTalliesAgreesUpToRounding() throws {
        var generator = SeededRandom(seed: 230)
        let s = (0..<1000).map { _ in Double.random(in: 0...1, using: &generator) }
        let q = (0..<1000).map { _ in Bool.random(using: &generator) }
        var merged = Tally()
        for start in stride(from: 0, to: 1000, by: 137) {
            let end = min(start + 137, 1000)
            merged.merge(tally(Array(s[start..<end]), Array(q[start..<end])))
        }
        let whole = tally(s, q)
        XCTAssertEqual(merged.pairs, whole.pairs, "\(generator)")
        XCTAssertEqual(merged.kept, whole.kept, "\(generator)")
        XCTAssertEqual(merged.good, whole.good, accuracy: 1e-9, "\(generator)")
        XCTAssertEqual(merged.goodKept, whole.goodKept, accuracy: 1e-9, "\(generator)")
        XCTAssertEqual(merged.badKept, whole.badKept, accuracy: 1e-9, "\(generator)")
        let a = SelectionScore(merged), b = SelectionScore(whole)
        XCTAssertEqual(try XCTUnwrap(a.pStar), try XCTUnwrap(b.pStar), accuracy: 1e-12, "\(generator)")
    }

    func testMergingIntoAnEmptyTallyIsIdentity() {
        let t = tally([1, 0, 0.5], [1, 1, 0])
        var empty = Tally()
        empty.merge(t)
        XCTAssertEqual(empty, t)
    }
}
