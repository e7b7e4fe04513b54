@testable import AssayHost
@testable import AssayStudies
import AssayTestSupport
import XCTest

/// The iterated-rounds check on hand-made runs: drift of the unverified
/// chain, holding of the verifiers with p* > p, and standard errors.
final class RoundsFindingsTests: XCTestCase {
    /// One run whose chains have the given accuracies in rounds 1, 2, 3.
    private func run(p: Double = 0.3, _ chains: [(name: String, pStar: Double, accuracies: [Double])]) -> ExperimentResult {
        let selections = chains.map { chain in
            SelectionResult(name: chain.name, plugin: chain.name == "random" ? "baseline" : "x", version: nil,
                            score: SelectionScore(pairs: 100, kept: 50, p: p, phi: 1, phiInterval: nil, psi: 1 / chain.pStar - 1,
                                                  psiInterval: nil, pStar: chain.pStar, pStarInterval: nil),
                            curve: [])
        }
        let rounds = chains.flatMap { chain in
            chain.accuracies.enumerated().map { index, accuracy in
                RoundPoint(round: index + 1, selection: chain.name, generatorAccuracy: 0.9, score: nil,
                           point: CurvePoint(n: 1000, accuracy: accuracy, agreement: nil))
            }
        }
        return ExperimentResult(runID: nil, seed: 1, poolSize: 100, testSize: 10_000,
                                generator: GeneratorSummary(id: "g", version: "1", accuracy: 0.9, agreement: nil, p: p),
                                bayesAccuracy: nil, verifiers: selections.filter { $0.plugin != "baseline" },
                                baselines: selections.filter { $0.plugin == "baseline" }, rounds: rounds)
    }

    func testOneSeedUsesTheBinomialError() throws {
        let result = run([("oracle", 1.0, [0.90, 0.905, 0.90]), ("weak", 0.2, [0.80, 0.70, 0.60]),
                          ("random", 0.5, [0.90, 0.88, 0.86])])
        let findings = RoundsFindings(SweepOutcome(sweepID: nil, points: [.init(values: [:], result: result)]))
        XCTAssertEqual(findings.chains.map(\.name), ["oracle", "random"], "p* = 0.2 < p = 0.3: outside the claim")
        let random = try XCTUnwrap(findings.chains.last)
        XCTAssertEqual(random.change, -0.04, accuracy: 1e-12)
        XCTAssertEqual(random.standardError, ((0.9 * 0.1 + 0.86 * 0.14) / 10_000).squareRoot(), accuracy: 1e-15)
        XCTAssertTrue(random.holds)
        XCTAssertTrue(findings.chains[0].holds)
        XCTAssertTrue(findings.render().contains("Unverified retraining drifts down (by > 2 standard errors): holds (1/1)"))
    }

    func testEachHalfCanFail() {
        let result = run([("oracle", 1.0, [0.90, 0.85, 0.80]), ("random", 0.5, [0.90, 0.90, 0.901])])
        let findings = RoundsFindings(SweepOutcome(sweepID: nil, points: [.init(values: [:], result: result)]))
        XCTAssertFalse(findings.chains.contains(where: \.holds))
        let text = findings.render()
        XCTAssertTrue(text.contains("drifts down (by > 2 standard errors): FAILS (0/1 hold)"), text)
        XCTAssertTrue(text.contains("hold or improve (within 2 standard errors): FAILS (0/1 hold)"), text)
    }

    func testSeedsArePairedForTheChangesError() throws {
        // Changes −0.02, −0.03, −0.04: mean −0.03, standard error 0.01/√3.
        let runs = [(0.90, 0.88), (0.91, 0.88), (0.92, 0.88)].enumerated().map { index, pair in
            SweepOutcome.Point(values: ["seed": index + 1],
                               result: run([("random", 0.5, [pair.0, 0.89, pair.1])]))
        }
        let chain = try XCTUnwrap(RoundsFindings(SweepOutcome(sweepID: nil, points: runs)).chains.first)
        XCTAssertEqual(chain.change, -0.03, accuracy: 1e-12)
        XCTAssertEqual(chain.standardError, 0.01 / 3.0.squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(chain.holds)
    }
}
