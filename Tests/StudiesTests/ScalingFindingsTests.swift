@testable import AssayHost
@testable import AssayStudies
import AssayTestSupport
import XCTest

/// The Figure-3 claims on hand-made sweeps: each check reads the right
/// numbers, and each can fail.
final class ScalingFindingsTests: XCTestCase {
    /// One run: selections given as (name, plugin, p*, [n: accuracy]).
    private func result(labels: String, p: Double, generator: Double, testSize: Int = 100_000,
                        _ selections: [(String, String, Double?, [Int: Double])]) -> ExperimentResult {
        func selection(_ entry: (String, String, Double?, [Int: Double])) -> SelectionResult {
            let score = entry.2.map { SelectionScore(pairs: 1000, kept: 500, p: p, phi: 1, phiInterval: nil, psi: 1 / $0 - 1,
                                                     psiInterval: nil, pStar: $0, pStarInterval: nil) }
            return SelectionResult(name: entry.0, plugin: entry.1, version: nil, score: score,
                                   curve: entry.3.keys.sorted().map { CurvePoint(n: $0, accuracy: entry.3[$0]!, agreement: nil) })
        }
        let verifiers = selections.filter { $0.1 != "baseline" }.map(selection)
        let baselines = selections.filter { $0.1 == "baseline" }.map(selection)
        return ExperimentResult(runID: nil, seed: 1, poolSize: 1000, testSize: testSize,
                                generator: GeneratorSummary(id: "g", version: "1", accuracy: generator, agreement: nil, p: p,
                                                            config: "{\"labels\": \"\(labels)\"}"),
                                bayesAccuracy: 0.94, verifiers: verifiers, baselines: baselines)
    }

    private func outcome(_ results: [(n0: Int, result: ExperimentResult)]) -> SweepOutcome {
        SweepOutcome(sweepID: 1, points: results.map { .init(values: ["generator.n0": $0.n0], result: $0.result) })
    }

    func testClaimsHoldOnAWellBehavedSweep() throws {
        let sample = result(labels: "sample", p: 0.35, generator: 0.90, [
            ("oracle", "oracle", 1.0, [100: 0.85, 1000: 0.935]),
            ("margin", "margin", 0.9, [100: 0.86, 1000: 0.930]),
            ("random", "baseline", 0.5, [100: 0.70, 1000: 0.890]),
            ("clean", "baseline", nil, [100: 0.84, 1000: 0.938]),
        ])
        let sign = result(labels: "sign", p: 0.15, generator: 0.85, [
            ("oracle", "oracle", 1.0, [1000: 0.88]),
            ("margin", "margin", 0.7, [1000: 0.92]),
            ("random", "baseline", 0.5, [1000: 0.855]),
            ("clean", "baseline", nil, [1000: 0.938]),
        ])
        let findings = ScalingFindings(outcome([(200, sample), (300, sign)]))
        XCTAssertEqual(findings.oracleVsClean.count, 2, "both groups have p < 0.4")
        XCTAssertEqual(findings.oracleClaim.count, 1, "the claim covers sampled labels only")
        XCTAssertEqual(findings.oracleClaim[0].oracle - findings.oracleClaim[0].clean, -0.003, accuracy: 1e-12)
        XCTAssertTrue(findings.oracleClaim[0].holds)
        XCTAssertFalse(findings.oracleVsClean[1].holds, "sign labels: listed, and failing, but outside the claim")
        XCTAssertEqual(findings.randomVsGenerator.count, 1)
        XCTAssertEqual(findings.randomVsGenerator[0].random - findings.randomVsGenerator[0].generator, 0.005, accuracy: 1e-12)
        XCTAssertTrue(findings.randomVsGenerator[0].holds)
        // p* order oracle > margin > random; accuracy oracle > margin > random.
        XCTAssertEqual(try XCTUnwrap(findings.rankClaim.first?.rho), 1, accuracy: 1e-12)
        XCTAssertEqual(findings.rankClaim.count, 1)
        XCTAssertTrue(findings.render().contains("1. Oracle within 0.005 of clean for generators with p < 0.4 (sampled labels): holds (1/1)"))
        XCTAssertTrue(findings.sweetSpots.isEmpty)
    }

    func testEachClaimCanFail() throws {
        let bad = result(labels: "sign", p: 0.2, generator: 0.85, [
            ("oracle", "oracle", 1.0, [1000: 0.80]),
            ("margin", "margin", 0.9, [1000: 0.90]),
            ("random", "baseline", 0.5, [1000: 0.87]),
            ("clean", "baseline", nil, [1000: 0.938]),
        ])
        let sampled = result(labels: "sample", p: 0.3, generator: 0.85, [
            ("oracle", "oracle", 1.0, [1000: 0.80]),
            ("margin", "margin", 0.9, [1000: 0.90]),
            ("random", "baseline", 0.5, [1000: 0.95]),
            ("clean", "baseline", nil, [1000: 0.938]),
        ])
        let findings = ScalingFindings(outcome([(200, bad), (300, sampled)]))
        XCTAssertFalse(try XCTUnwrap(findings.randomVsGenerator.first).holds, "random beats the generator by 0.02")
        XCTAssertFalse(try XCTUnwrap(findings.oracleClaim.first).holds, "oracle 0.138 below clean")
        // Ranks by p*: 3, 2, 1; by accuracy: 1, 2, 3 — ρ = −1.
        XCTAssertEqual(try XCTUnwrap(findings.rankClaim.first?.rho), -1, accuracy: 1e-12)
        let text = findings.render()
        XCTAssertTrue(text.contains("2. Random never beats the generator by more than 0.01 with sign labels: FAILS (0/1 hold)"), text)
        XCTAssertTrue(text.contains("(sampled labels): FAILS (0/1 hold)"), text)
    }

    func testGeneratorsAtOrAbovePointFourAreOutsideTheOracleClaim() {
        let weak = result(labels: "sample", p: 0.45, generator: 0.6, [
            ("oracle", "oracle", 1.0, [1000: 0.80]), ("clean", "baseline", nil, [1000: 0.938]),
        ])
        XCTAssertTrue(ScalingFindings(outcome([(200, weak)])).oracleVsClean.isEmpty)
    }

    func testSweetSpotNeedsTwoStandardErrors() throws {
        // Test size 100,000: the standard error of a difference of two
        // accuracies near 0.9 is √(2·0.09/1e5) ≈ 0.00134.
        let clear = result(labels: "sample", p: 0.35, generator: 0.9, [
            ("margin", "margin", 0.9, [1000: 0.900, 10000: 0.920, 100000: 0.910]),
        ])
        let spot = try XCTUnwrap(ScalingFindings(outcome([(200, clear)])).sweetSpots.first)
        XCTAssertEqual(spot.bestN, 10000)
        XCTAssertEqual(spot.largestN, 100000)
        XCTAssertEqual(spot.zScore, 0.01 / ((0.92 * 0.08 + 0.91 * 0.09) / 1e5).squareRoot(), accuracy: 1e-9)
        let noise = result(labels: "sample", p: 0.35, generator: 0.9, [
            ("margin", "margin", 0.9, [1000: 0.900, 10000: 0.9112, 100000: 0.910]),
        ])
        XCTAssertTrue(ScalingFindings(outcome([(200, noise)])).sweetSpots.isEmpty, "1.2 milli-points is within noise")
    }

    func testReplicatesAverageWithStandardErrors() throws {
        let runs = [0.90, 0.92, 0.94].map { accuracy in
            result(labels: "sample", p: 0.35, generator: 0.9, [("oracle", "oracle", 1.0, [1000: accuracy])])
        }
        let sweep = SweepOutcome(sweepID: 1, points: runs.enumerated().map { .init(values: ["seed": $0.offset + 1], result: $0.element) })
        XCTAssertEqual(sweep.groups.count, 1, "seeds are replicates of one group")
        let estimate = try XCTUnwrap(sweep.groups[0].accuracy("oracle", n: 1000))
        XCTAssertEqual(estimate.mean, 0.92, accuracy: 1e-12)
        // Sample standard deviation 0.02, over √3.
        XCTAssertEqual(try XCTUnwrap(estimate.standardError), 0.02 / 3.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(estimate.count, 3)
    }
}
