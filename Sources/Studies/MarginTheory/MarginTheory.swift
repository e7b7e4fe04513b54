import AssayHost
import Foundation
import Numerics
import PluginAPI

/// Analytic ϕ, ψ and p* of margin pruners q = 1[y'·xᵀw_prune > 0] on the
/// Gaussian mixture of Section 5, x | y ~ N(y·τ·w*, I/d), with sign labels
/// y' = sign(xᵀw_gen). See docs/MARGIN_THEORY.md for the derivation (and
/// the corrections to Appendix E.6 of the paper).
///
/// With unit w*, and angles θ_gen = ∠(w_gen, w*), θ_prune = ∠(w_prune, w*),
/// θ = ∠(w_prune, w_gen), and c_v = −τ·√d·cos θ_v:
///   p = Φ(c_gen),
///   ϕ = Φ₂(−c_prune, −c_gen; cos θ) / Φ(−c_gen),
///   ψ = Φ₂(c_prune, c_gen; cos θ) / Φ(c_gen).
public enum MarginTheory {
    /// The verifiers compared: those of the margin-pruner plugin. The ABI
    /// has no way for a verifier to say it is a linear sign rule, and
    /// probing every verifier would prepare each one a second time, so the
    /// study names the plugin (the host knows none).
    public static let prunerPlugin = "margin"
    /// The generator parameters the formulas are in: τ, the label rule
    /// (sign labels only) and the reference of similarity (drawn labels).
    static let separationParameter = "tau"
    static let labelsParameter = "labels"
    static let signLabels = "sign"
    static let truthParameter = "truth"
    static let drawnTruth = "drawn"

    /// Whether `assay score` should set the analytic ϕ, ψ beside the
    /// measured ones: the config has a margin pruner.
    public static func applies(to config: RunConfig) -> Bool {
        config.verifiers.contains { $0.plugin == prunerPlugin }
    }

    public struct Prediction: Codable, Equatable {
        public var p: Double
        public var phi: Double
        public var psi: Double
        public var pStar: Double

        enum CodingKeys: String, CodingKey { case p, phi, psi, pStar = "p_star" }
    }

    public static func predict(tau: Double, d: Int, cosGen: Double, cosPrune: Double, cosBetween: Double) -> Prediction {
        let scale = tau * Double(d).squareRoot()
        let cGen = -scale * cosGen, cPrune = -scale * cosPrune
        let p = standardNormalCDF(cGen)
        let phi = bivariateNormalCDF(-cPrune, -cGen, rho: cosBetween) / standardNormalCDF(-cGen)
        let psi = bivariateNormalCDF(cPrune, cGen, rho: cosBetween) / p
        return Prediction(p: p, phi: phi, psi: psi, pStar: phi / (phi + psi))
    }

    /// One margin verifier: the angles found, the prediction and the measurement.
    public struct Row: Codable, Equatable {
        public var name: String
        public var thetaGen: Double
        public var thetaPrune: Double
        public var theta: Double
        public var analytic: Prediction
        public var measured: SelectionScore
        /// Binomial standard errors of the measured ϕ and ψ.
        public var phiStandardError: Double
        public var psiStandardError: Double

        enum CodingKeys: String, CodingKey {
            case name, analytic, measured
            case thetaGen = "theta_gen", thetaPrune = "theta_prune", theta
            case phiStandardError = "phi_standard_error", psiStandardError = "psi_standard_error"
        }

        /// |analytic − measured| in standard errors.
        public var phiDeviation: Double { abs(analytic.phi - (measured.phi ?? .nan)) / phiStandardError }
        public var psiDeviation: Double { abs(analytic.psi - (measured.psi ?? .nan)) / psiStandardError }
    }

    public struct Report: Codable, Equatable {
        public var runID: Int64?
        public var tau: Double
        public var d: Int
        /// Generator error: the prediction Φ(c_gen) and the pool's.
        public var analyticP: Double
        public var measuredP: Double
        public var poolSize: Int
        public var rows: [Row]

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", tau, d, analyticP = "analytic_p", measuredP = "measured_p", poolSize = "pool_size", rows
        }

        public func json(pretty: Bool = true) throws -> String {
            try JSONDocument.encode(self, pretty: pretty)
        }

        public func render() -> String {
            func f(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "—" }
            var out = "Margin pruners on the Gaussian mixture (τ = \(tau), d = \(d)), sign labels: "
                + "generator error p analytic \(f(analyticP)), measured \(f(measuredP)) on \(poolSize) pairs\n\n"
            let header = ["verifier", "θ_gen", "θ_prune", "θ", "ϕ analytic", "ϕ measured", "ψ analytic", "ψ measured",
                          "p* analytic", "p* measured", "|Δϕ|/se", "|Δψ|/se"]
            let rows = rows.map { row in
                [row.name, f(row.thetaGen), f(row.thetaPrune), f(row.theta), f(row.analytic.phi), f(row.measured.phi),
                 f(row.analytic.psi), f(row.measured.psi), f(row.analytic.pStar), f(row.measured.pStar),
                 String(format: "%.2f", row.phiDeviation), String(format: "%.2f", row.psiDeviation)]
            }
            out += TextTable.render(header: header, rows: rows, alignment: .labelThenNumbers) + "\n"
            return out
        }
    }

    /// Scores the config's pool (as `assay score` does, stored in the
    /// results database) and sets beside each margin verifier its analytic
    /// ϕ, ψ, p*. The generator must declare tau, labels and truth, with
    /// labels = "sign" and truth = "drawn", and publish the task vector
    /// "direction"; verifiers of other plugins are skipped.
    ///
    /// The angles come from the plugins themselves, through the ABI only:
    /// w* is the task vector "direction"; w_gen and w_prune are recovered
    /// from the signs the generator predicts and the keep bits the verifier
    /// returns (see `probeDirection`). The instances probed are fresh ones
    /// prepared from the run's seed streams, so they are the ones the run uses.
    public static func run(config: RunConfig, catalog: PluginCatalog, store: ResultsStore?,
                           showProgress: Bool = false) throws -> Report {
        let generatorInfo = try catalog.plugin(config.generator.plugin, kind: .generator,
                                               library: config.generator.library, for: "[generator]")
        // The theory's variables, read from the generator's declared
        // parameters (the config's value, else the declared default): any
        // generator of this mixture that declares them qualifies.
        let options = (try? JSONSerialization.jsonObject(with: Data(config.generator.configJSON.utf8))) as? [String: Any] ?? [:]
        func setting(_ name: String, _ meaning: String) throws -> Any {
            guard let declared = generatorInfo.parameters.first(where: { $0.name == name }) else {
                throw AssayError("margin theory: the generator \"\(generatorInfo.id)\" declares no parameter \"\(name)\" (\(meaning)); "
                    + "the analytic ϕ, ψ are for the Gaussian mixture of Section 5")
            }
            guard let value = options[name] ?? declared.defaultJSON.flatMap({
                try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])
            }) else {
                throw AssayError("margin theory: cannot tell the generator's \(name) (\(meaning)): not set and no default")
            }
            return value
        }
        let labels = try setting(Self.labelsParameter, "how labels are synthesized")
        guard labels as? String == Self.signLabels else {
            throw AssayError("margin theory: the generator has \(Self.labelsParameter) = \"\(labels)\"; "
                + "the analytic ϕ, ψ hold for \(Self.labelsParameter) = \"\(Self.signLabels)\"")
        }
        let truth = try setting(Self.truthParameter, "what a label is compared with")
        guard truth as? String == Self.drawnTruth else {
            throw AssayError("margin theory: the generator has \(Self.truthParameter) = \"\(truth)\"; "
                + "the analytic ϕ, ψ are against the drawn label")
        }
        guard let tau = (try setting(Self.separationParameter, "the separation τ of the class means") as? NSNumber)?.doubleValue else {
            throw AssayError("margin theory: the generator's \(Self.separationParameter) is not a number")
        }

        let generator = try GeneratorInstance(info: generatorInfo, configJSON: config.generator.configJSON, threads: config.threads)
        try withRandom(seed: config.seed, .generatorPrepare) { try generator.prepare(rng: $0) }
        let d = generator.xCols
        var star = [Double](repeating: 0, count: d)
        try star.withUnsafeMutableBufferPointer { try generator.taskVector("direction", into: $0) }
        star = try unit(star, "w*")

        let wGen = try probeDirection(d: d, pivot: star, what: "the generator's labels") { x, rows in
            var y = [Double](repeating: 0, count: rows)
            try x.withUnsafeBufferPointer { x in
                try y.withUnsafeMutableBufferPointer { out in
                    try withRandom(seed: config.seed, .evaluate("margin-theory", block: 0)) { rng in
                        try generator.label(model: "generator", mode: ASSAY_LABEL_PREDICT, x: x, rows: rows,
                                            firstRow: 0, rng: rng, into: out)
                    }
                }
            }
            return y.map { $0 > 0 }
        }

        var probed: [(name: String, direction: [Double])] = []
        for spec in config.verifiers {
            let info = try catalog.plugin(spec.plugin, kind: .verifier, library: spec.library, for: "verifier \"\(spec.name)\"")
            guard info.id == Self.prunerPlugin else { continue }
            let verifier = try VerifierInstance(info: info, name: spec.name, configJSON: spec.configJSON, generator: generator)
            try withRandom(seed: config.seed, .verifierPrepare(spec.name)) { try verifier.prepare(task: generator, rng: $0) }
            let direction = try probeDirection(d: d, pivot: star, what: "verifier \"\(spec.name)\"") { x, rows in
                // y' = +1 on every row: keep = 1[xᵀw_prune > 0].
                let y = [Double](repeating: 1, count: rows)
                let dummy = [Double](repeating: 1, count: rows)
                var keep = [UInt8](repeating: 0, count: rows)
                try x.withUnsafeBufferPointer { x in
                    try y.withUnsafeBufferPointer { y in
                        try dummy.withUnsafeBufferPointer { dummy in
                            let truth = ChunkTruth(yTrue: dummy, similarity: dummy)
                            try withBatch(rows: rows, firstRow: 0, x: x, xCols: d, y: y, yCols: 1, truth: truth) { batch in
                                try withRandom(seed: config.seed, .verify(spec.name, chunk: Int(Int32.max))) { rng in
                                    try keep.withUnsafeMutableBufferPointer { try verifier.keep(batch: batch, rng: rng, into: $0) }
                                }
                            }
                        }
                    }
                }
                return keep.map { $0 == 1 }
            }
            probed.append((spec.name, direction))
        }
        guard !probed.isEmpty else {
            throw AssayError("\(config.path): no verifier with plugin \"\(Self.prunerPlugin)\"; nothing to compare")
        }

        let result = try Experiment(config: config, catalog: catalog, store: store, showProgress: showProgress).run(retrain: false)
        let cosGen = dot(wGen, star)
        let rows = try probed.map { name, direction -> Row in
            guard let measured = result.verifiers.first(where: { $0.name == name })?.score else {
                throw AssayError("margin theory: no score for verifier \"\(name)\"")
            }
            let cosPrune = dot(direction, star), cosBetween = dot(direction, wGen)
            let prediction = predict(tau: tau, d: d, cosGen: cosGen, cosPrune: cosPrune, cosBetween: cosBetween)
            let pairs = Double(measured.pairs)
            let good = pairs * (1 - measured.p), bad = pairs * measured.p
            let phi = measured.phi ?? .nan, psi = measured.psi ?? .nan
            return Row(name: name, thetaGen: acos(clamp(cosGen)), thetaPrune: acos(clamp(cosPrune)),
                       theta: acos(clamp(cosBetween)), analytic: prediction, measured: measured,
                       phiStandardError: (phi * (1 - phi) / good).squareRoot(),
                       psiStandardError: (psi * (1 - psi) / bad).squareRoot())
        }
        return Report(runID: result.runID, tau: tau, d: d,
                      analyticP: standardNormalCDF(-tau * Double(d).squareRoot() * cosGen),
                      measuredP: result.generator.p, poolSize: config.poolSize, rows: rows)
    }

    /// Recovers the unit normal w/‖w‖ of a linear sign rule s(x) = 1[xᵀw > 0]
    /// from its outputs alone, to about machine precision.
    ///
    /// With a pivot v (w* here) such that wᵀv > 0 (else −v is used), the
    /// probe x(a) = cos a·v + sin a·e_j has xᵀw = cos a·(wᵀv) + sin a·w_j,
    /// positive at a = 0 and negative at a = π with one sign change between,
    /// at a_j with w_j / (wᵀv) = −cot a_j. All d bisections run together:
    /// each step is one batch of d rows. The result is checked against the
    /// rule on random inputs.
    static func probeDirection(d: Int, pivot: [Double], what: String,
                               sign: (_ x: [Double], _ rows: Int) throws -> [Bool]) throws -> [Double] {
        var v = pivot
        if try !sign(v, 1)[0] {
            v = v.map { -$0 }
            guard try sign(v, 1)[0] else {
                throw AssayError("margin theory: \(what) gives the same sign to w* and −w*; not a linear rule xᵀw > 0 with wᵀw* ≠ 0")
            }
        }
        var low = [Double](repeating: 0, count: d), high = [Double](repeating: .pi, count: d)
        var x = [Double](repeating: 0, count: d * d)
        for _ in 0 ..< 64 {
            for j in 0 ..< d {
                let a = (low[j] + high[j]) / 2
                let (c, s) = (cos(a), sin(a))
                for k in 0 ..< d { x[j * d + k] = c * v[k] }
                x[j * d + j] += s
            }
            let signs = try sign(x, d)
            for j in 0 ..< d {
                let a = (low[j] + high[j]) / 2
                if signs[j] { low[j] = a } else { high[j] = a }
            }
        }
        let w = try unit((0 ..< d).map { j in
            let a = (low[j] + high[j]) / 2
            return -cos(a) / sin(a)
        }, what)

        // Check: the recovered rule must reproduce the signs on random
        // points, except within rounding of the boundary.
        var stream = RandomStream(seed: 0x5eed, keys: [99])
        let rows = 2000
        var check = [Double](repeating: 0, count: rows * d)
        check.withUnsafeMutableBufferPointer { stream.fillNormal($0) }
        let signs = try sign(check, rows)
        for row in 0 ..< rows {
            let margin = (0 ..< d).reduce(0.0) { $0 + check[row * d + $1] * w[$1] }
            if abs(margin) > 1e-8 && (margin > 0) != signs[row] {
                throw AssayError("margin theory: \(what) does not act as a linear rule xᵀw > 0 (probe check failed at point \(row))")
            }
        }
        return w
    }
}

private func clamp(_ c: Double) -> Double { min(1, max(-1, c)) }

private func unit(_ v: [Double], _ what: String) throws -> [Double] {
    let norm = dot(v, v).squareRoot()
    guard norm > 0, norm.isFinite else { throw AssayError("margin theory: \(what): direction has norm \(norm)") }
    return v.map { $0 / norm }
}
