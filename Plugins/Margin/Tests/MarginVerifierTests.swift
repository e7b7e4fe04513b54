import PluginTestSupport
import XCTest

final class MarginVerifierTests: XCTestCase {
    /// keep = 1[y'·(xᵀw) > 0]: strictly positive, so a zero margin drops.
    func testExplicitWeightsKeepThePairsTheyAgreeWith() throws {
        let harness = try VerifierHarness(library: "libassay_margin.so", id: "margin")
        try harness.start(#"{"w": [1, -1]}"#, xCols: 2)
        // Margins 1, -1, 0, 3.
        let x: [Double] = [2, 1, 1, 2, 0, 0, 1, -2]
        XCTAssertEqual(try harness.verify(x: x, xCols: 2, y: [1, 1, 1, 1]).keep, [1, 0, 0, 1])
        XCTAssertEqual(try harness.verify(x: x, xCols: 2, y: [-1, -1, -1, -1]).keep, [0, 1, 0, 0])
    }

    /// theta = 0 is the task's direction w* = (3, 4)/5, whatever unit
    /// vector u the stream gives.
    func testThetaZeroIsTheTaskDirection() throws {
        let harness = try VerifierHarness(library: "libassay_margin.so", id: "margin")
        harness.values.direction = [3, 4]
        harness.values.normals = [1, 0]
        try harness.start(#"{"theta": 0}"#, xCols: 2)
        // Margins 0.6, -0.6, 0.06 - 0.8 = -0.74.
        XCTAssertEqual(try harness.verify(x: [1, 0, -1, 0, 0.1, -1], xCols: 2, y: [1, 1, 1]).keep, [1, 0, 0])
    }

    func testANaNMarginIsRefusedNamingTheRow() throws {
        let harness = try VerifierHarness(library: "libassay_margin.so", id: "margin")
        try harness.start(#"{"w": [1, 1]}"#, xCols: 2)
        XCTAssertEqual(failure { _ = try harness.verify(x: [1, 1, .nan, 0], xCols: 2, y: [1, 1], firstRow: 4) },
                       "margin: row 5: y' = 1.0 and xᵀw = nan; expected finite values")
    }

    func testExactlyOneSourceOfWeights() throws {
        let harness = try VerifierHarness(library: "libassay_margin.so", id: "margin")
        XCTAssertEqual(failure { try harness.start(#"{"w": [1], "theta": 1}"#, xCols: 1) },
                       #"margin config: give exactly one of "w" (weights), "n_clean" (train on clean samples) or "theta" (angle to w*); got "w" and "theta""#)
    }
}
