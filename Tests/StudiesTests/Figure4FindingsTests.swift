@testable import AssayHost
@testable import AssayStudies
import AssayTestSupport
import XCTest

/// The Figure-4 claims on hand-made sweeps of noisy oracles.
final class Figure4FindingsTests: XCTestCase {
    /// One seed's run: verifiers by p_noise with their accuracy at n' = 10, 50.
    private func run(generator: Double, _ accuracies: [(pNoise: Double, at10: Double, at50: Double)]) -> ExperimentResult {
        let verifiers = accuracies.map { entry in
            SelectionResult(name: "noisy-\(entry.pNoise)", plugin: "noisy", version: nil,
                            score: SelectionScore(pairs: 100, kept: 50, p: 0.5, phi: 1, phiInterval: nil, psi: entry.pNoise,
                                                  psiInterval: nil, pStar: 1 / (1 + entry.pNoise), pStarInterval: nil),
                            curve: [CurvePoint(n: 10, accuracy: entry.at10, agreement: nil),
                                    CurvePoint(n: 50, accuracy: entry.at50, agreement: nil)])
        }
        let random = SelectionResult(name: "random", plugin: "baseline", version: nil,
                                     score: SelectionScore(pairs: 100, kept: 100, p: 0.5, phi: 1, phiInterval: nil, psi: 1,
                                                           psiInterval: nil, pStar: 0.5, pStarInterval: nil),
                                     curve: [CurvePoint(n: 50, accuracy: 0.99, agreement: nil)])
        return ExperimentResult(runID: nil, seed: 1, poolSize: 100, testSize: 1000,
                                generator: GeneratorSummary(id: "g", version: "1", accuracy: generator, agreement: nil, p: 0.5),
                                bayesAccuracy: nil, verifiers: verifiers, baselines: [random])
    }

    private func sweep(_ runs: [ExperimentResult]) -> SweepOutcome {
        SweepOutcome(sweepID: nil, points: runs.enumerated().map { .init(values: ["seed": $0.offset + 1], result: $0.element) })
    }

    func testClaimsHoldWhenAccuracyFollowsPStar() throws {
        let runs = [0.0, 0.02].map { shift in
            run(generator: 0.5, [(0, 0.6 + shift, 0.7 + shift), (0.5, 0.5 + shift, 0.55 + shift), (1, 0.4 + shift, 0.45 + shift)])
        }
        let findings = Figure4Findings(sweep(runs))
        XCTAssertEqual(findings.rankings.map(\.n), [10, 50])
        XCTAssertEqual(try XCTUnwrap(findings.rankings.last?.rho), 1, accuracy: 1e-12)
        let unverified = try XCTUnwrap(findings.unverified.first)
        XCTAssertEqual(unverified.verifier, "noisy-1.0", "the lowest p*, never the random baseline")
        XCTAssertEqual(unverified.accuracy.mean, 0.46, accuracy: 1e-12, "mean over the two seeds")
        XCTAssertEqual(unverified.n, 50)
        XCTAssertTrue(unverified.holds)
        XCTAssertEqual(findings.oracle.first?.verifier, "noisy-0.0")
        XCTAssertTrue(try XCTUnwrap(findings.oracle.first).holds)
        XCTAssertTrue(findings.render().contains("1. Accuracy rises with p* (Spearman ρ ≥ 0.9 at every n'): holds (2/2)"))
    }

    func testEachClaimCanFail() throws {
        let findings = Figure4Findings(sweep([run(generator: 0.65, [(0, 0.6, 0.60), (0.5, 0.7, 0.62), (1, 0.5, 0.70)])]))
        XCTAssertFalse(try XCTUnwrap(findings.rankings.last).holds, "accuracy falls with p* at n' = 50")
        XCTAssertFalse(try XCTUnwrap(findings.unverified.first).holds, "no verification ends above the generator")
        XCTAssertFalse(try XCTUnwrap(findings.oracle.first).holds, "the oracle ends below the generator")
        let text = findings.render()
        XCTAssertTrue(text.contains("2. No verification (lowest p*) ends below the generator: FAILS (0/1 hold)"), text)
        XCTAssertTrue(text.contains("3. The oracle (highest p*) ends above the generator: FAILS (0/1 hold)"), text)
    }
}
