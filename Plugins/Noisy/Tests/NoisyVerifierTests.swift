import PluginTestSupport
import XCTest

final class NoisyVerifierTests: XCTestCase {
    /// Good pairs (s = 1) are kept when u < phi, bad ones when u < p_noise,
    /// one uniform per row in row order.
    func testEachRowIsDecidedByItsOwnUniform() throws {
        let harness = try VerifierHarness(library: "libassay_noisy.so", id: "noisy")
        try harness.start(#"{"p_noise": 0.3, "phi": 0.5}"#, xCols: 1)
        harness.values.similarities = [1, 1, 0, 0, 1]
        harness.values.uniforms = [0.2, 0.9, 0.1, 0.6, 0.5]
        XCTAssertEqual(try harness.verify(x: [0, 0, 0, 0, 0], xCols: 1, y: [1, 1, 1, 1, 1]).keep, [1, 0, 1, 0, 0])
        XCTAssertTrue(harness.values.uniforms.isEmpty, "one uniform per row")
    }

    func testAThresholdBelowOneCountsNearMatchesAsGood() throws {
        let harness = try VerifierHarness(library: "libassay_noisy.so", id: "noisy")
        try harness.start(#"{"p_noise": 0, "threshold": 0.5}"#, xCols: 1)
        harness.values.similarities = [0.5, 0.4]
        harness.values.uniforms = [0.99, 0.0]
        XCTAssertEqual(try harness.verify(x: [0, 0], xCols: 1, y: [1, 1]).keep, [1, 0])
    }

    func testPNoiseIsRequired() throws {
        let harness = try VerifierHarness(library: "libassay_noisy.so", id: "noisy")
        XCTAssertEqual(failure { try harness.start("{}", xCols: 1) }, #"noisy config: missing "p_noise"; expected a number"#)
    }
}
