import AssayHost
import Foundation
import ConfigKit

/// A phase-transition sweep (`assay phase`): a run config plus a `[phase]`
/// table naming a generator parameter that moves its error p and the grid
/// of its values.
///
/// ```toml
/// [phase]
/// parameter = "flip_p"           # a parameter the generator declares
/// p = [0.0, 0.05, 0.1]           # explicit grid, or:
/// from = 0.0                     # an even grid from..to (inclusive)
/// to = 1.0
/// step = 0.025
/// phi_psi = "fixed"              # or "moving" (default "fixed")
/// ```
///
/// Each grid value becomes the generator's `parameter` for one run; the
/// generator itself checks each value (and that it combines with the rest
/// of `[generator]`) before the first run. With the shipped Gaussian
/// mixture that is `flip_p` with `labels = "flip"` (Bayes labels flipped
/// independently of x: the (ϕ, ψ)-pruners of Theorem 4.2, whose ϕ and ψ
/// stay fixed), or `generator_angle`, the angle of a linear generator to
/// w* (the margin pruners of Figure 2, whose ϕ and ψ move: `phi_psi =
/// "moving"`). The largest n' of `[retrain] n` is the one training-set
/// size retrained on.
public struct PhaseConfig {
    /// How the verifiers' ϕ and ψ behave along the sweep, which says how
    /// the breakdown is predicted.
    public enum PhiPsi: String, CaseIterable {
        /// The same at every grid point: pooled over the sweep, p* = 1/(1 + ψ/ϕ).
        case fixed
        /// Moving with the parameter: the p where the per-point p* crosses p.
        case moving
    }

    public var run: RunConfig
    /// The generator parameter the grid sets, as `[phase] parameter` names it.
    public var parameter: String
    public var phiPsi: PhiPsi
    /// Values of `parameter`, sorted.
    public var grid: [Double]

    public init(run: RunConfig, parameter: String, phiPsi: PhiPsi = .fixed, grid: [Double]) {
        self.run = run
        self.parameter = parameter
        self.phiPsi = phiPsi
        self.grid = grid
    }

    public static func load(path: String, requireGrid: Bool = true, quick: Bool = false) throws -> PhaseConfig {
        try make(ConfigFile.load(path: path, quick: quick), requireGrid: requireGrid)
    }

    public static func parse(_ text: String, path: String, requireGrid: Bool = true) throws -> PhaseConfig {
        try make(ConfigFile.parse(text, path: path), requireGrid: requireGrid)
    }

    /// Splits off `[phase]`, then reads the rest as an ordinary run config
    /// (so every run-config check applies, unknown keys included).
    private static func make(_ file: ConfigFile, requireGrid: Bool) throws -> PhaseConfig {
        var file = file
        let path = file.path
        guard file.axes.isEmpty else {
            throw AssayError("\(path): [sweep] does not combine with assay phase, whose [phase] grid is the sweep")
        }
        var grid: [Double] = []
        var parameter = ""
        var phiPsi = PhiPsi.fixed
        switch file.table.removeValue(forKey: "phase") {
        case let phase as [String: Any]:
            try readingConfig {
                let table = ConfigReader(table: phase, origin: "\(path) [phase]")
                parameter = try table.string("parameter")
                phiPsi = PhiPsi(rawValue: try table.string(
                    "phi_psi", default: PhiPsi.fixed.rawValue, oneOf: PhiPsi.allCases.map(\.rawValue)))!
                grid = try parseGrid(table)
            }
        case nil:
            if requireGrid {
                throw AssayError("\(path): no [phase] table; expected the generator parameter to sweep "
                    + "(parameter = \"...\") and its grid (p = [...], or from/to/step)")
            }
        default:
            throw AssayError("\(path): \"phase\" must be a table ([phase])")
        }
        return PhaseConfig(run: try file.single(), parameter: parameter, phiPsi: phiPsi, grid: grid)
    }

    private static func parseGrid(_ phase: ConfigReader) throws -> [Double] {
        let explicit = try phase.numbers("p")
        let ranged = ["from", "to", "step"].filter(phase.has)
        var grid: [Double]
        if let explicit {
            guard ranged.isEmpty else {
                throw ConfigError("\(phase.origin): give either \"p\" or \"from\"/\"to\"/\"step\", not both")
            }
            grid = explicit
        } else {
            let from = try phase.number("from")
            let to = try phase.number("to")
            let step = try phase.number("step", in: 1e-6 ... .greatestFiniteMagnitude)
            guard from <= to else { throw ConfigError("\(phase.origin): \"from\" (\(from)) must not exceed \"to\" (\(to))") }
            let count = Int(((to - from) / step + 1e-9).rounded(.down))
            grid = (0 ... count).map { from + Double($0) * step }
        }
        try phase.finish()
        guard grid.count >= 2 else {
            throw ConfigError("\(phase.origin): the grid has \(grid.count) point(s); expected at least 2")
        }
        return Array(Set(grid)).sorted()
    }
}

/// One verifier across the sweep.
public struct PhaseVerifier: Codable, Equatable {
    public struct Point: Codable, Equatable {
        /// The swept parameter's value and the generator's measured error on the pool.
        public var setting: Double
        public var p: Double
        public var phi: Double?
        public var psi: Double?
        public var kept: Int
        /// Agreement with the Bayes predictor of the model retrained on n'
        /// kept pairs; nil when the verifier kept fewer than n'.
        public var agreement: Double?

        enum CodingKeys: String, CodingKey {
            case setting, p, phi, psi, kept, agreement
        }

        public init(setting: Double, p: Double, phi: Double?, psi: Double?, kept: Int, agreement: Double?) {
            self.setting = setting
            self.p = p
            self.phi = phi
            self.psi = psi
            self.kept = kept
            self.agreement = agreement
        }
    }

    public var name: String
    public var plugin: String
    /// ϕ and ψ pooled over every grid point (good and bad mass summed).
    public var phi: Double?
    public var psi: Double?
    /// The predicted breakdown: p* = 1/(1 + ψ/ϕ) from the pooled ϕ, ψ when
    /// they are fixed along the sweep; else the p where the per-point p*
    /// crosses p (interpolated), the first p the theory says is too many.
    public var predictedPStar: Double?
    /// Where agreement with Bayes first falls through 50 %, by linear
    /// interpolation in the measured p between neighbouring grid points.
    public var measuredBreakdown: Double?
    public var difference: Double?
    public var points: [Point]

    enum CodingKeys: String, CodingKey {
        case name, plugin, phi, psi, points
        case predictedPStar = "predicted_p_star", measuredBreakdown = "measured_breakdown", difference
    }
}

/// What `assay phase` prints (and `--json` encodes).
public struct PhaseResult: Codable, Equatable {
    public var n: Int
    public var poolSize: Int
    public var testSize: Int
    public var seed: UInt64
    /// The generator parameter swept, as `[phase] parameter` names it.
    public var parameter: String
    public var runIDs: [Int64]
    public var verifiers: [PhaseVerifier]

    enum CodingKeys: String, CodingKey {
        case n, poolSize = "pool_size", testSize = "test_size", seed, parameter, runIDs = "run_ids", verifiers
    }

    public func json(pretty: Bool = true) throws -> String {
        try JSONDocument.encode(self, pretty: pretty)
    }
}

/// Sweeps the generator's flip probability over the grid; at each value it
/// runs the ordinary experiment (one pool, every verifier, one retrain at
/// n', stored in the results database like any run) and records, per
/// verifier, ϕ, ψ and the retrained model's agreement with Bayes.
public final class PhaseSweep {
    public let config: PhaseConfig
    private let catalog: PluginCatalog
    private let store: ResultsStore?
    private let showProgress: Bool

    /// Told after each grid point: (index, count, setting, run id).
    public var onPoint: ((Int, Int, Double, Int64?) -> Void)?

    public init(config: PhaseConfig, catalog: PluginCatalog, store: ResultsStore?, showProgress: Bool = true) {
        self.config = config
        self.catalog = catalog
        self.store = store
        self.showProgress = showProgress
    }

    /// The run config of one grid point: the generator's parameter set, one n'.
    public func runConfig(setting value: Double) throws -> RunConfig {
        var run = config.run
        let key = config.parameter
        guard let object = try? JSONSerialization.jsonObject(with: Data(run.generator.configJSON.utf8)),
              var generator = object as? [String: Any] else {
            throw AssayError("\(run.path): [generator] config is not a JSON object")
        }
        guard generator[key] == nil else {
            throw AssayError("\(run.path): [generator] sets \(key), but the [phase] grid does; remove it")
        }
        generator[key] = value
        run.generator.configJSON = String(decoding: try JSONSerialization.data(withJSONObject: generator, options: [.sortedKeys]),
                                          as: UTF8.self)
        run.retrainSizes = [run.retrainSizes.max()!]
        return run
    }

    /// Before anything runs: the generator declares the swept parameter,
    /// and accepts the config of every grid point (its own range and
    /// combination checks, e.g. a value that needs another setting).
    public func check() throws {
        let run = config.run
        let info = try catalog.plugin(run.generator.plugin, kind: .generator, library: run.generator.library, for: "[generator]")
        guard info.parameters.contains(where: { $0.name == config.parameter }) else {
            throw AssayError("\(run.path) [phase]: the generator \"\(info.id)\" has no parameter \"\(config.parameter)\"; "
                + "it declares " + info.parameters.map { "\"\($0.name)\"" }.joined(separator: ", "))
        }
        for setting in config.grid {
            do {
                _ = try GeneratorInstance(info: info, configJSON: try runConfig(setting: setting).generator.configJSON, threads: run.threads)
            } catch {
                throw AssayError("\(run.path) [phase]: \(config.parameter) = \(setting): \(error)")
            }
        }
    }

    public func run() throws -> PhaseResult {
        try check()
        let n = config.run.retrainSizes.max()!
        var runIDs: [Int64] = []
        var points: [[PhaseVerifier.Point]] = Array(repeating: [], count: config.run.verifiers.count)
        var plugins: [String] = config.run.verifiers.map(\.plugin)
        let sweepID = try store?.beginSweep(kind: PhaseSweepRuns.kind, configPath: config.run.path,
                                            config: config.run.source, points: config.grid.count)
        for (index, setting) in config.grid.enumerated() {
            let experiment = Experiment(config: try runConfig(setting: setting), catalog: catalog, store: store,
                                        showProgress: showProgress)
            experiment.sweep = sweepID.map {
                ResultsStore.SweepMembership(id: $0, point: PhaseSweepRuns.point(config.parameter, setting))
            }
            let result = try experiment.run(retrain: true)
            if let id = result.runID { runIDs.append(id) }
            for (position, verifier) in result.verifiers.enumerated() {
                plugins[position] = verifier.plugin
                let score = verifier.score
                points[position].append(PhaseVerifier.Point(
                    setting: setting, p: result.generator.p, phi: score?.phi, psi: score?.psi, kept: score?.kept ?? 0,
                    agreement: verifier.curve.first(where: { $0.n == n })?.agreement))
            }
            onPoint?(index, config.grid.count, setting, result.runID)
        }
        let verifiers = config.run.verifiers.indices.map { index in
            Self.summarize(name: config.run.verifiers[index].name, plugin: plugins[index], points: points[index],
                           poolPhiPsi: config.phiPsi == .fixed)
        }
        return PhaseResult(n: n, poolSize: config.run.poolSize, testSize: config.run.testSize, seed: config.run.seed,
                           parameter: config.parameter, runIDs: runIDs, verifiers: verifiers)
    }

    /// Pools ϕ and ψ over the grid, predicts the breakdown (from the pooled
    /// ϕ, ψ, or where the per-point p* crosses p) and locates the 50 %
    /// crossing of agreement.
    public static func summarize(name: String, plugin: String, points: [PhaseVerifier.Point],
                                 poolPhiPsi: Bool = true) -> PhaseVerifier {
        var good = 0.0, goodKept = 0.0, bad = 0.0, badKept = 0.0
        // Every grid point draws a pool of the same size, so the good (bad)
        // mass of a point is proportional to 1 − p (p).
        for point in points {
            if let phi = point.phi { good += 1 - point.p; goodKept += phi * (1 - point.p) }
            if let psi = point.psi { bad += point.p; badKept += psi * point.p }
        }
        let phi = good > 0 ? goodKept / good : nil
        let psi = bad > 0 ? badKept / bad : nil
        var predicted: Double?
        if poolPhiPsi {
            if let phi, let psi, phi + psi > 0 { predicted = phi / (phi + psi) }
        } else {
            // p* − p goes from positive (the verifier can still win) to
            // negative; the zero is the predicted breakdown.
            let margins = points.compactMap { point -> (p: Double, agreement: Double)? in
                guard let phi = point.phi, let psi = point.psi, phi + psi > 0 else { return nil }
                return (point.p, 0.5 + (phi / (phi + psi) - point.p))
            }
            predicted = breakdown(margins)
        }
        let crossing = breakdown(points.compactMap { point in point.agreement.map { (point.p, $0) } })
        return PhaseVerifier(name: name, plugin: plugin, phi: phi, psi: psi, predictedPStar: predicted,
                             measuredBreakdown: crossing,
                             difference: both(predicted, crossing).map { abs($0 - $1) },
                             points: points)
    }

    /// The first p where agreement falls from ≥ 1/2 to < 1/2, linearly
    /// interpolated between the two neighbouring points (sorted by p).
    public static func breakdown(_ curve: [(p: Double, agreement: Double)]) -> Double? {
        let sorted = curve.sorted { $0.p < $1.p }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.agreement >= 0.5 && b.agreement < 0.5 {
            return a.p + (a.agreement - 0.5) / (a.agreement - b.agreement) * (b.p - a.p)
        }
        return nil
    }
}

private func both(_ a: Double?, _ b: Double?) -> (Double, Double)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// Text tables for `assay phase`.
public enum PhaseTables {
    public static func render(_ result: PhaseResult) -> String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "—" }
        var out = "Phase transition: retrained on n' = \(result.n) kept pairs per verifier and grid point "
            + "(pool \(result.poolSize), test \(result.testSize), seed \(result.seed))\n\n"
        let header = ["verifier", "ϕ", "ψ", "predicted p*", "measured breakdown", "|difference|"]
        let rows = result.verifiers.map { v in
            [v.name, f(v.phi), f(v.psi), f(v.predictedPStar), f(v.measuredBreakdown), f(v.difference)]
        }
        out += table(header, rows)
        out += "\nAgreement with the Bayes predictor by generator error p (measured on each pool)\n\n"
        let grid = result.verifiers.first?.points ?? []
        let curveHeader = [result.parameter, "p"] + result.verifiers.map(\.name)
        let curveRows = grid.indices.map { index in
            [String(format: "%.4f", grid[index].setting), String(format: "%.4f", grid[index].p)]
                + result.verifiers.map { f($0.points[index].agreement) }
        }
        out += table(curveHeader, curveRows)
        if !result.runIDs.isEmpty {
            out += "\nruns \(result.runIDs.first!)–\(result.runIDs.last!) in the results database\n"
        }
        return out
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        TextTable.render(header: header, rows: rows, alignment: .labelThenNumbers) + "\n"
    }
}
