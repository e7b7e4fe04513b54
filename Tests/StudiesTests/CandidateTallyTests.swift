@testable import AssayHost
@testable import AssayStudies
import AssayTestSupport
import XCTest

/// The oracle and self-selection columns on hand-made candidates.
final class CandidateTallyTests: XCTestCase {
    func testOracleTakesTheBestPrefixAndSelfSelectionTheMostLikely() {
        // Two inputs, three candidates each: similarity[c][row], likelihood[c][row].
        let similarity: [[Double]] = [[0, 1], [1, 0], [0.5, 0]]
        let likelihood: [[Double]] = [[-1, -3], [-2, -1], [0, -1]]
        var tally = CandidateTally(ks: [1, 2, 3])
        tally.add(similarity: similarity, likelihood: likelihood, rows: 2, synthesizedFrom: 1)
        // k = 1: candidate 0 alone.          oracle 0 + 1, self 0 + 1
        // k = 2: row 0 best 1, likes c0 (−1 > −2): 0; row 1 best 1, likes c1 (−1 > −3): 0
        // k = 3: row 0 best 1, likes c2 (0): 0.5;   row 1 best 1, ties c1 and c2 at −1: the earlier, c1: 0
        XCTAssertEqual(tally.oracle, [1, 2, 2])
        XCTAssertEqual(tally.selfSelected, [1, 0, 0.5])
        // Synthesized candidates are c1 and c2 of both rows: (1 + 0 + 0.5 + 0) / 4.
        XCTAssertEqual(tally.synthesizedAccuracy, 0.375)
    }

    func testChunksAddUp() {
        var first = CandidateTally(ks: [1, 2])
        first.add(similarity: [[1], [0]], likelihood: [[0], [1]], rows: 1, synthesizedFrom: 0)
        var second = CandidateTally(ks: [1, 2])
        second.add(similarity: [[0], [1]], likelihood: [[0], [1]], rows: 1, synthesizedFrom: 0)
        first.add(second)
        XCTAssertEqual(first.oracle, [1, 2])
        XCTAssertEqual(first.selfSelected, [1, 1])
        XCTAssertEqual(first.synthesizedAccuracy, 0.5)
    }

    func testNoSynthesizedCandidateGivesNoRate() {
        var tally = CandidateTally(ks: [1])
        tally.add(similarity: [[1]], likelihood: [[0]], rows: 1, synthesizedFrom: 1)
        XCTAssertNil(tally.synthesizedAccuracy)
    }
}
