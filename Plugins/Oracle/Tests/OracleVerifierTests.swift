import PluginTestSupport
import PluginAPI
import XCTest

final class OracleVerifierTests: XCTestCase {
    private func oracle(_ config: String) throws -> VerifierHarness {
        let harness = try VerifierHarness(library: "libassay_oracle.so", id: "oracle")
        try harness.start(config, xCols: 2)
        harness.values.similarities = [0, 0.5, 0.49, 1]
        return harness
    }

    func testAThresholdKeepsThePairsAtLeastThatSimilar() throws {
        let harness = try oracle(#"{"threshold": 0.5}"#)
        XCTAssertEqual(try harness.selection().mode, assay_selection_mode(ASSAY_SELECT_RULE))
        XCTAssertEqual(try harness.verify(x: .init(repeating: 0, count: 8), xCols: 2, y: [1, 1, 1, 1]).keep, [0, 1, 0, 1])
        // The default threshold is 1: exact matches only.
        XCTAssertEqual(try oracle("{}").verify(x: .init(repeating: 0, count: 8), xCols: 2, y: [1, 1, 1, 1]).keep, [0, 0, 0, 1])
    }

    func testAFractionScoresByTheSimilarity() throws {
        let harness = try oracle(#"{"fraction": 0.25}"#)
        XCTAssertEqual(try harness.selection().mode, assay_selection_mode(ASSAY_SELECT_TOP_FRACTION))
        XCTAssertEqual(try harness.selection().fraction, 0.25)
        XCTAssertEqual(try harness.verify(x: .init(repeating: 0, count: 8), xCols: 2, y: [1, 1, 1, 1]).score, [0, 0.5, 0.49, 1])
    }

    func testConfigErrorsNameTheKey() throws {
        let harness = try VerifierHarness(library: "libassay_oracle.so", id: "oracle")
        XCTAssertEqual(failure { try harness.start(#"{"threshold": 0.5, "fraction": 0.5}"#, xCols: 2) },
                       #"oracle config: give either "threshold" (keep s >= threshold) or "fraction" (keep the top fraction by s), not both"#)
        XCTAssertEqual(failure { try harness.start(#"{"fraction": 0}"#, xCols: 2) },
                       #"oracle config: "fraction" must be a number in (0, 1], got 0.0"#)
        XCTAssertEqual(failure { try harness.start(#"{"treshold": 1}"#, xCols: 2) },
                       #"oracle config: unknown key "treshold"; expected one of: fraction, threshold"#)
    }
}
