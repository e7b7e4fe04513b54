@testable import AssayHost
import Numerics
import XCTest

/// The bounded-memory search (sample, bracket, collect) must find exactly
/// the cut that sorting every score finds.
final class TopFractionSearchTests: XCTestCase {
    private func search(_ scores: [Double], fraction: Double, sampleSize: Int) -> (TopFractionCut, scans: Int) {
        var search = TopFractionSearch(fraction: fraction, poolSize: scores.count, seed: 7, verifier: "v",
                                       sampleSize: sampleSize)
        var scans = 0
        while search.cut == nil {
            scans += 1
            // Rows in a scrambled order: a scan may visit chunks in any order.
            for row in scores.indices.reversed() { search.visit(row: row, score: scores[row]) }
            search.endScan()
        }
        return (search.cut!, scans)
    }

    private func kept(_ cut: TopFractionCut, _ scores: [Double]) -> [Int] {
        scores.indices.filter { cut.keeps(score: scores[$0], row: $0) }
    }

    private func check(_ scores: [Double], fraction: Double, file: StaticString = #filePath, line: UInt = #line) {
        let (exact, exactScans) = search(scores, fraction: fraction, sampleSize: scores.count)
        let (bracketed, bracketScans) = search(scores, fraction: fraction, sampleSize: 2_000)
        XCTAssertEqual(exactScans, 1, file: file, line: line)
        XCTAssertGreaterThanOrEqual(bracketScans, 2, file: file, line: line)
        let expected = Int((fraction * Double(scores.count)).rounded())
        XCTAssertEqual(kept(exact, scores).count, expected, file: file, line: line)
        XCTAssertEqual(kept(bracketed, scores), kept(exact, scores), file: file, line: line)
    }

    func testContinuousScores() {
        var stream = RandomStream(seed: 3, keys: 1)
        let scores = (0..<200_000).map { _ in stream.normal() }
        for fraction in [0.125, 0.25, 0.5, 0.999] { check(scores, fraction: fraction) }
    }

    func testBinaryScoresAreCutInsideTheTies() {
        var stream = RandomStream(seed: 3, keys: 2)
        let scores = (0..<200_000).map { _ in stream.uniform() < 0.6 ? 1.0 : 0.0 }
        for fraction in [0.25, 0.6, 0.75] { check(scores, fraction: fraction) }
    }

    func testKeepsEverythingAboveTheCutAndNothingBelow() {
        var stream = RandomStream(seed: 3, keys: 3)
        let scores = (0..<50_000).map { _ in (stream.uniform() * 10).rounded() }
        let (cut, _) = search(scores, fraction: 0.3, sampleSize: 1_000)
        let kept = Set(self.kept(cut, scores))
        let lowestKept = kept.map { scores[$0] }.min()!
        for row in scores.indices {
            if scores[row] > lowestKept { XCTAssertTrue(kept.contains(row)) }
            if scores[row] < lowestKept { XCTAssertFalse(kept.contains(row)) }
        }
    }

    func testZeroFractionKeepsNothing() {
        let (cut, scans) = search([1, 2, 3], fraction: 0.1, sampleSize: 10)
        XCTAssertEqual(scans, 0)
        XCTAssertTrue(kept(cut, [1, 2, 3]).isEmpty)
    }
}
