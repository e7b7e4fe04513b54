import Foundation
import ConfigKit

/// A phase-transition sweep (`assay phase`): a run config plus a `[phase]`
/// table giving the grid of a generator setting that moves its error p.
///
/// ```toml
/// [phase]
/// parameter = "flip_p"           # or "generator_angle" (default "flip_p")
/// p = [0.0, 0.05, 0.1]          # explicit grid, or:
/// from = 0.0                     # an even grid from..to (inclusive)
/// to = 1.0
/// step = 0.025
/// ```
///
/// Each grid value becomes the generator's `parameter` (gaussian-mixture):
/// `flip_p` with `labels = "flip"` (Bayes labels flipped independently of
/// x: the (ϕ, ψ)-pruners of Theorem 4.2), or `generator_angle`, the angle
/// of a linear generator to w* (the margin pruners of Figure 2). The
/// largest n' of `[retrain] n` is the one training-set size retrained on.
public struct PhaseConfig {
    /// The generator setting a phase sweep moves.
    public enum Parameter: String, CaseIterable {
        case flipP = "flip_p"
        case generatorAngle = "generator_angle"

        /// Where its values lie.
        var range: ClosedRange<Double> { self == .flipP ? 0 ... 1 : 0 ... Double.pi }

        /// ϕ and ψ stay fixed along a flip sweep, so they are pooled over
        /// it; along an angle sweep they move with the generator.
        var holdsPhiPsiFixed: Bool { self == .flipP }
    }

    public var run: RunConfig
    public var parameter: Parameter
    /// Values of `parameter`, sorted, each in its range.
    public var grid: [Double]

    public init(run: RunConfig, parameter: Parameter = .flipP, grid: [Double]) {
        self.run = run
        self.parameter = parameter
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
        var parameter = Parameter.flipP
        switch file.table.removeValue(forKey: "phase") {
        case let phase as [String: Any]:
            try readingConfig {
                let table = ConfigReader(table: phase, origin: "\(path) [phase]")
                parameter = Parameter(rawValue: try table.string(
                    "parameter", default: Parameter.flipP.rawValue, oneOf: Parameter.allCases.map(\.rawValue)))!
                grid = try parseGrid(table, range: parameter.range)
            }
        case nil:
            if requireGrid {
                throw AssayError("\(path): no [phase] table; expected the grid of flip probabilities (p = [...], or from/to/step)")
            }
        default:
            throw AssayError("\(path): \"phase\" must be a table ([phase])")
        }
        return PhaseConfig(run: try file.single(), parameter: parameter, grid: grid)
    }

    private static func parseGrid(_ phase: ConfigReader, range: ClosedRange<Double>) throws -> [Double] {
        let explicit = try phase.numbers("p")
        let ranged = ["from", "to", "step"].filter(phase.has)
        var grid: [Double]
        if let explicit {
            guard ranged.isEmpty else {
                throw ConfigError("\(phase.origin): give either \"p\" or \"from\"/\"to\"/\"step\", not both")
            }
            grid = explicit
        } else {
            let from = try phase.number("from", default: range.lowerBound, in: range)
            let to = try phase.number("to", default: range.upperBound, in: range)
            let step = try phase.number("step", in: 1e-6 ... range.upperBound)
            guard from <= to else { throw ConfigError("\(phase.origin): \"from\" (\(from)) must not exceed \"to\" (\(to))") }
            let count = Int(((to - from) / step + 1e-9).rounded(.down))
            grid = (0 ... count).map { from + Double($0) * step }
        }
        try phase.finish()
        guard grid.count >= 2 else {
            throw ConfigError("\(phase.origin): the grid has \(grid.count) point(s); expected at least 2")
        }
        if let bad = grid.first(where: { !range.contains($0) }) {
            throw ConfigError("\(phase.origin): grid value \(bad) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        return Array(Set(grid)).sorted()
    }
}

/// One verifier across the sweep.
public struct PhaseVerifier: Codable, Equatable {
    public struct Point: Codable, Equatable {
        /// The generator's setting (flip_p or angle) and its measured error on the pool.
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
    /// The generator setting swept: "flip_p" or "generator_angle".
    public var parameter: String
    public var runIDs: [Int64]
    public var verifiers: [PhaseVerifier]

    enum CodingKeys: String, CodingKey {
        case n, poolSize = "pool_size", testSize = "test_size", seed, parameter, runIDs = "run_ids", verifiers
    }

    public func json(pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
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
        let key = config.parameter.rawValue
        guard let object = try? JSONSerialization.jsonObject(with: Data(run.generator.configJSON.utf8)),
              var generator = object as? [String: Any] else {
            throw AssayError("\(run.path): [generator] config is not a JSON object")
        }
        let labels = generator["labels"] as? String
        switch config.parameter {
        case .flipP where labels != "flip":
            throw AssayError("\(run.path): assay phase needs labels = \"flip\" in [generator] "
                + "(the sweep sets flip_p); got \(labels.map { "\"\($0)\"" } ?? "none")")
        case .generatorAngle where labels == "flip":
            throw AssayError("\(run.path): a generator_angle sweep needs labels = \"sign\" or \"sample\" in [generator], not \"flip\"")
        default:
            break
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

    public func run() throws -> PhaseResult {
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
                           poolPhiPsi: config.parameter.holdsPhiPsiFixed)
        }
        return PhaseResult(n: n, poolSize: config.run.poolSize, testSize: config.run.testSize, seed: config.run.seed,
                           parameter: config.parameter.rawValue, runIDs: runIDs, verifiers: verifiers)
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
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max()!
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }
}
