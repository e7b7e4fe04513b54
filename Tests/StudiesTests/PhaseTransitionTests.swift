import AssayHost
@testable import AssayStudies
import AssayTestSupport
import Foundation
import XCTest

/// `assay phase`: the sweep over the generator's flip probability, the
/// 50 % crossing, and a reduced version of the must-show (configs/phase.toml
/// is the full one).
final class PhaseTransitionTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-phase")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    private func catalog() throws -> PluginCatalog {
        try requireBuild()
        let catalog = PluginCatalog()
        catalog.scan(folder: Paths.buildFolder, matching: { $0.hasPrefix("libassay_") && $0.hasSuffix(".so") })
        return catalog
    }

    private static func config(pool: Int, n: Int, parameter: String = "flip_p", grid: String,
                               verifiers: String = pruners) -> String {
        """
        seed = 3
        threads = 2
        [pool]
        size = \(pool)
        [test]
        size = 10_000
        [retrain]
        n = [\(n)]
        [generator]
        plugin = "gaussian-mixture"
        d = 10
        tau = 0.45
        n0 = 100
        labels = "flip"
        truth = "bayes"
        \(verifiers)
        [phase]
        parameter = "\(parameter)"
        \(grid)
        """
    }

    private static let pruners = """
        [[verifier]]
        name = "phi1-psi1"
        plugin = "noisy"
        p_noise = 1.0
        [[verifier]]
        name = "phi1-psi0.5"
        plugin = "noisy"
        p_noise = 0.5
        [[verifier]]
        name = "phi1-psi0.25"
        plugin = "noisy"
        p_noise = 0.25
        [[verifier]]
        name = "phi0.5-psi0.1"
        plugin = "noisy"
        phi = 0.5
        p_noise = 0.1
        """

    // MARK: Pieces

    func testBreakdownInterpolatesTheFirstCrossing() {
        XCTAssertEqual(PhaseSweep.breakdown([(0.1, 0.99), (0.2, 0.9), (0.3, 0.3), (0.4, 0.05)])!, 0.2 + 0.4 / 0.6 * 0.1, accuracy: 1e-12)
        XCTAssertEqual(PhaseSweep.breakdown([(0.4, 0.2), (0.3, 0.5), (0.1, 0.9)])!, 0.3, accuracy: 1e-12, "sorted by p; 0.5 itself counts as above")
        XCTAssertNil(PhaseSweep.breakdown([(0.1, 0.9), (0.9, 0.6)]))
    }

    func testGridFromRangeAndErrors() throws {
        let text = Self.config(pool: 1000, n: 100, grid: "from = 0.2\nto = 0.4\nstep = 0.1")
        let phase = try PhaseConfig.parse(text, path: "g.toml")
        XCTAssertEqual(phase.grid.count, 3)
        XCTAssertEqual(phase.grid[2], 0.4, accuracy: 1e-12)
        XCTAssertEqual(phase.run.verifiers.count, 4)
        XCTAssertEqual(phase.run.source, text, "the stored source is the whole file")

        XCTAssertThrowsError(try PhaseConfig.parse(Self.config(pool: 1000, n: 100, grid: "p = [0.1]"), path: "g.toml"))
        // The generator checks its own range, for every grid point before the first run.
        let outside = try PhaseConfig.parse(Self.config(pool: 1000, n: 100, grid: "p = [0.1, 1.5]"), path: "g.toml")
        XCTAssertThrowsError(try PhaseSweep(config: outside, catalog: try catalog(), store: nil).check()) { error in
            XCTAssertTrue("\(error)".contains("g.toml [phase]: flip_p = 1.5: "), "\(error)")
        }
        XCTAssertThrowsError(try PhaseConfig.parse(Self.config(pool: 1000, n: 100, grid: "p = [0.1, 0.2]\nstep = 0.1"), path: "g.toml"))
        XCTAssertThrowsError(try PhaseConfig.parse(Self.config(pool: 1000, n: 100, grid: "p = [0.1, 0.2]\nstpe = 0.1"), path: "g.toml")) { error in
            XCTAssertTrue("\(error)".contains("stpe"), "\(error)")
        }
        let noPhase = Self.config(pool: 1000, n: 100, grid: "").replacingOccurrences(of: "[phase]\nparameter = \"flip_p\"", with: "")
        XCTAssertThrowsError(try PhaseConfig.parse(noPhase, path: "g.toml"))
        XCTAssertNoThrow(try PhaseConfig.parse(noPhase, path: "g.toml", requireGrid: false))
        XCTAssertThrowsError(try PhaseConfig.parse(text.replacingOccurrences(of: "parameter = \"flip_p\"", with: ""), path: "g.toml")) { error in
            XCTAssertTrue("\(error)".contains("parameter"), "\(error)")
        }

        XCTAssertThrowsError(try PhaseConfig.parse(text + "\n[sweep]\nseed = [1, 2]", path: "g.toml")) { error in
            XCTAssertTrue("\(error)".contains("does not combine with assay phase"), "\(error)")
        }

        let sign = try PhaseConfig.parse(text.replacingOccurrences(of: "labels = \"flip\"", with: "labels = \"sign\""), path: "g.toml")
        XCTAssertThrowsError(try PhaseSweep(config: sign, catalog: try catalog(), store: nil).check()) { error in
            XCTAssertTrue("\(error)".contains("labels = \"flip\""), "\(error)")
        }
        let variant = try PhaseSweep(config: phase, catalog: PluginCatalog(), store: nil).runConfig(setting: 0.3)
        XCTAssertTrue(variant.generator.configJSON.contains("\"flip_p\":0.3"), variant.generator.configJSON)
        XCTAssertEqual(variant.retrainSizes, [100])
    }

    /// Flip mode with truth = "bayes": the pool's p is flip_p, and the
    /// (ϕ, ψ)-pruner keeps at rates phi and p_noise.
    func testFlipGeneratorAndPhiPruner() throws {
        let text = Self.config(pool: 100_000, n: 100, grid: "p = [0.3, 0.4]")
        var run = try PhaseConfig.parse(text, path: "f.toml").run
        run.retrainSizes = [100]
        let sweep = PhaseSweep(config: PhaseConfig(run: run, parameter: "flip_p", grid: [0.3, 0.4]), catalog: try catalog(), store: nil, showProgress: false)
        let result = try Experiment(config: try sweep.runConfig(setting: 0.3), catalog: try catalog(), store: nil,
                                    showProgress: false).run(retrain: false)
        let se = (0.3 * 0.7 / 100_000).squareRoot()
        XCTAssertEqual(result.generator.p, 0.3, accuracy: 4 * se)
        XCTAssertEqual(result.generator.agreement ?? 0, 1, accuracy: 1e-12, "the flip generator predicts the Bayes label")
        let pruner = try XCTUnwrap(result.verifiers.first { $0.name == "phi0.5-psi0.1" }?.score)
        XCTAssertEqual(pruner.phi ?? 0, 0.5, accuracy: 4 * (0.25 / 70_000).squareRoot())
        XCTAssertEqual(pruner.psi ?? 0, 0.1, accuracy: 4 * (0.09 / 30_000).squareRoot())
        let none = try XCTUnwrap(result.verifiers.first { $0.name == "phi1-psi1" }?.score)
        XCTAssertEqual(none.kept, 100_000)
    }

    // MARK: The reduced must-show

    /// For (ϕ, ψ) ∈ {(1, 1), (1, 0.5), (1, 0.25), (0.5, 0.1)}, the measured
    /// breakdown lies within 0.03 of p* (reduced pool and n'; the shipped
    /// configs/phase.toml is the full check).
    func testMeasuredBreakdownMatchesPStar() throws {
        let text = Self.config(pool: 200_000, n: 20_000, grid: "from = 0.35\nto = 0.95\nstep = 0.05")
        let phase = try PhaseConfig.parse(text, path: "phase-small.toml")
        let store = try ResultsStore(path: scratch.file("phase.sqlite"))
        let start = Date()
        let result = try PhaseSweep(config: phase, catalog: try catalog(), store: store, showProgress: false).run()
        print(PhaseTables.render(result))
        print("reduced phase sweep: \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual(result.runIDs.count, phase.grid.count, "every grid point is stored as a run")
        let expected = ["phi1-psi1": 0.5, "phi1-psi0.5": 2.0 / 3, "phi1-psi0.25": 0.8, "phi0.5-psi0.1": 5.0 / 6]
        for verifier in result.verifiers {
            let nominal = try XCTUnwrap(expected[verifier.name])
            let predicted = try XCTUnwrap(verifier.predictedPStar)
            XCTAssertEqual(predicted, nominal, accuracy: 0.01, verifier.name)
            let measured = try XCTUnwrap(verifier.measuredBreakdown, "\(verifier.name): no crossing")
            XCTAssertEqual(measured, predicted, accuracy: 0.03, verifier.name)
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(try result.json().utf8)) as? [String: Any]
        XCTAssertEqual((decoded?["verifiers"] as? [Any])?.count, 4)
    }

    // MARK: Margin pruners (generator_angle)

    private static let marginPruners = """
        [[verifier]]
        name = "no-pruning"
        plugin = "noisy"
        p_noise = 1.0
        [[verifier]]
        name = "margin-pi/4"
        plugin = "margin"
        theta = 0.7853981633974483
        """

    private static func angleConfig(pool: Int, n: Int, grid: String) -> String {
        config(pool: pool, n: n, parameter: "generator_angle", grid: "phi_psi = \"moving\"\n" + grid, verifiers: marginPruners)
            .replacingOccurrences(of: "labels = \"flip\"", with: "labels = \"sign\"")
    }

    func testAngleGridAndErrors() throws {
        let phase = try PhaseConfig.parse(Self.angleConfig(pool: 1000, n: 100, grid: "p = [0.5, 3.0]"), path: "a.toml")
        XCTAssertEqual(phase.parameter, "generator_angle")
        XCTAssertEqual(phase.phiPsi, .moving)
        XCTAssertEqual(phase.grid, [0.5, 3.0], "angles go up to π, not 1")
        XCTAssertNoThrow(try PhaseSweep(config: phase, catalog: try catalog(), store: nil).check())
        let outside = try PhaseConfig.parse(Self.angleConfig(pool: 1000, n: 100, grid: "p = [0.5, 3.2]"), path: "a.toml")
        XCTAssertThrowsError(try PhaseSweep(config: outside, catalog: try catalog(), store: nil).check()) { error in
            XCTAssertTrue("\(error)".contains("a.toml [phase]: generator_angle = 3.2: "), "\(error)")
        }
        let undeclared = try PhaseConfig.parse(Self.config(pool: 1000, n: 100, parameter: "nope", grid: "p = [0.1, 0.2]"), path: "a.toml")
        XCTAssertThrowsError(try PhaseSweep(config: undeclared, catalog: try catalog(), store: nil).check()) { error in
            XCTAssertTrue("\(error)".contains("a.toml [phase]: the generator \"gaussian-mixture\" has no parameter \"nope\""), "\(error)")
        }
        let variant = try PhaseSweep(config: phase, catalog: PluginCatalog(), store: nil).runConfig(setting: 1.5)
        XCTAssertTrue(variant.generator.configJSON.contains("\"generator_angle\":1.5"), variant.generator.configJSON)
        let flip = try PhaseConfig.parse(Self.angleConfig(pool: 1000, n: 100, grid: "p = [0.5, 3.0]")
            .replacingOccurrences(of: "labels = \"sign\"", with: "labels = \"flip\""), path: "a.toml")
        XCTAssertThrowsError(try PhaseSweep(config: flip, catalog: try catalog(), store: nil).check()) { error in
            XCTAssertTrue("\(error)".contains("\"generator_angle\" or labels = \"flip\", not both"), "\(error)")
        }
    }

    /// With ϕ and ψ moving along the sweep, the prediction is where p*
    /// falls below p: here p* − p = 0.5, 0.1, −0.3 at p = 0.2, 0.4, 0.6,
    /// so p = 0.45.
    func testPredictionWherePStarCrossesP() throws {
        let points = [(0.2, 0.7), (0.4, 0.5), (0.6, 0.3)].map { p, pStar in
            // ϕ = 1 and ψ = 1/p* − 1 give p*.
            PhaseVerifier.Point(setting: p, p: p, phi: 1, psi: 1 / pStar - 1, kept: 10, agreement: nil)
        }
        let summary = PhaseSweep.summarize(name: "m", plugin: "margin", points: points, poolPhiPsi: false)
        XCTAssertEqual(try XCTUnwrap(summary.predictedPStar), 0.45, accuracy: 1e-12)
        let pooled = PhaseSweep.summarize(name: "m", plugin: "margin", points: points)
        XCTAssertNotEqual(try XCTUnwrap(pooled.predictedPStar), 0.45, accuracy: 0.01, "pooling ϕ, ψ is another prediction")
    }

    /// w_gen at 0, π/2 and π from w*: its sign labels are the Bayes labels,
    /// independent of them, and their opposite.
    func testGeneratorAngleSetsTheErrorAgainstBayes() throws {
        let phase = try PhaseConfig.parse(Self.angleConfig(pool: 40_000, n: 100, grid: "p = [0, 1]"), path: "a.toml")
        let sweep = PhaseSweep(config: phase, catalog: try catalog(), store: nil, showProgress: false)
        var errors: [Double] = []
        for angle in [0, Double.pi / 2, Double.pi] {
            let result = try Experiment(config: try sweep.runConfig(setting: angle), catalog: try catalog(), store: nil,
                                        showProgress: false).run(retrain: false)
            errors.append(result.generator.p)
        }
        XCTAssertEqual(errors[0], 0, accuracy: 1e-12)
        XCTAssertEqual(errors[1], 0.5, accuracy: 4 * (0.25 / 40_000).squareRoot())
        XCTAssertEqual(errors[2], 1, accuracy: 1e-12)
    }

    /// Margin pruners: the measured breakdown lies within 0.03 of the p at
    /// which p* falls below p (reduced; configs/phase-margin.toml is the
    /// full sweep, within 0.002).
    func testMarginBreakdownMatchesPStarCrossing() throws {
        let text = Self.angleConfig(pool: 400_000, n: 20_000, grid: "from = 1.2\nto = 2.7\nstep = 0.15")
        let phase = try PhaseConfig.parse(text, path: "phase-margin-small.toml")
        let result = try PhaseSweep(config: phase, catalog: try catalog(), store: nil, showProgress: false).run()
        print(PhaseTables.render(result))
        XCTAssertEqual(result.parameter, "generator_angle")
        for verifier in result.verifiers {
            let predicted = try XCTUnwrap(verifier.predictedPStar, verifier.name)
            let measured = try XCTUnwrap(verifier.measuredBreakdown, "\(verifier.name): no crossing")
            XCTAssertEqual(measured, predicted, accuracy: 0.03, verifier.name)
        }
        XCTAssertEqual(try XCTUnwrap(result.verifiers.first?.predictedPStar), 0.5, accuracy: 0.01, "no pruning: p* = 1/2")
    }
}
