import PluginTestSupport
import PluginAPI
import XCTest

final class PerplexityVerifierTests: XCTestCase {
    func testScoresAreTheLogLikelihoodsUnderTheNamedModel() throws {
        let harness = try VerifierHarness(library: "libassay_perplexity.so", id: "perplexity")
        try harness.start(#"{"r": 0.5, "model": "strong"}"#, xCols: 1)
        XCTAssertEqual(try harness.selection().mode, assay_selection_mode(ASSAY_SELECT_TOP_FRACTION))
        XCTAssertEqual(try harness.selection().fraction, 0.5)
        harness.values.logLikelihoods = [-0.1, -2.5, -0.7]
        XCTAssertEqual(try harness.verify(x: [0, 0, 0], xCols: 1, y: [1, 1, 1]).score, [-0.1, -2.5, -0.7])
        XCTAssertEqual(harness.values.models, ["strong"])
    }

    func testANonFiniteLogLikelihoodIsRefusedNamingTheRow() throws {
        let harness = try VerifierHarness(library: "libassay_perplexity.so", id: "perplexity")
        try harness.start("{}", xCols: 1)
        harness.values.logLikelihoods = [-1, -.infinity]
        XCTAssertEqual(failure { _ = try harness.verify(x: [0, 0], xCols: 1, y: [1, 1], firstRow: 10) },
                       "perplexity: score of row 11 is -inf; expected a finite number")
    }
}
