import Foundation
import Numerics
import PluginKit

/// The Gaussian-mixture task of Section 5 of the paper, with linear models.
///
/// A fixed unit vector w* in R^d; y = ±1 with probability 1/2 each;
/// x | y ~ N(y·τ·w*, I_d/d). Every model is a weight vector w with
/// P(y = +1 | x) = σ(xᵀw):
///
/// - "generator": ordinary least squares of y on x over `n0` clean samples
///   (the paper's ŵ_{N0}), the model that synthesizes the pool;
/// - "bayes": the exact posterior, whose log-odds are 2·τ·d·xᵀw*;
/// - one reference model per entry of `models`, trained like the generator
///   on its own clean samples;
/// - models made by `fit` (ridge logistic regression on selected pairs).
///
/// PluginKit checks each batch against the shape prepare returned, and
/// refuses batch calls before prepare.
///
/// Threads: `direction` and the built-in models are written only in
/// `prepare`; the model table is guarded by `lock` because `fit` and
/// `forget` may run concurrently with the batch calls.
final class GaussianMixtureGenerator: GeneratorPlugin {
    static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "gaussian-mixture",
            version: "1.0.0",
            summary: "Gaussian mixture x | y ~ N(y·tau·w*, I/d) with linear generator, Bayes and reference models (paper, Section 5)",
            parameters: [
                Parameter("d", "integer", default: "100", "dimension of x"),
                Parameter("tau", "number", default: "0.15", "separation of the class means (> 0); the means are ±tau·w*"),
                Parameter("n0", "integer", default: "1000",
                          "clean samples the generator is trained on by ordinary least squares (at least d)"),
                Parameter("labels", "string", default: "\"sign\"",
                          "how the generator synthesizes labels: \"sign\" (sign of xᵀw), \"sample\" (y' = +1 with probability σ(xᵀw)) "
                              + "or \"flip\" (the Bayes label, flipped with probability flip_p independently of x; "
                              + "the \"generator\" model is then the Bayes predictor)"),
                Parameter("flip_p", "number", default: "0",
                          "with labels = \"flip\": probability in [0, 1] that a synthesized label is the opposite of the Bayes label"),
                Parameter("generator_angle", "number", default: nil,
                          "instead of least squares, make the generator w_gen = cos θ·w* + sin θ·u (u a random unit vector "
                              + "orthogonal to w*, the norm that of the Bayes weights) at this angle θ in [0, pi] to w*: "
                              + "the w_gen of the paper's Figure 2, whose sign labels err with probability about θ/pi"),
                Parameter("truth", "string", default: "\"drawn\"",
                          "what similarity compares a label with: \"drawn\" (the true label drawn with x) or \"bayes\" "
                              + "(the Bayes label sign(xᵀw*), the theory's reference; then test \"accuracy\" is agreement with Bayes)"),
                Parameter("lambda", "number", default: "0.0001",
                          "ridge penalty (> 0) of the logistic regression that fit() trains on selected pairs"),
                Parameter("models", "table", default: "{}",
                          "reference models by name, each trained like the generator on its own clean samples, e.g. {\"strong\": {\"n0\": 20000}}"),
            ]
        )
    }

    static let builtInNames = ["generator", "bayes"]
    /// Gradient-norm tolerance of fit(); a fit that ends above it is logged.
    static let fitTolerance = 1e-8
    static let fitIterations = 100

    private let host: HostServices
    private let dimension: Int
    private let tau: Double
    private let generatorSamples: Int
    private let sampleLabels: Bool
    /// labels = "flip": synthesized labels are Bayes labels flipped with
    /// probability `flipProbability`, independently of x.
    private let flipLabels: Bool
    private let flipProbability: Double
    /// generator_angle: the generator is set at this angle to w* instead of fitted.
    private let generatorAngle: Double?
    /// truth = "bayes": similarity compares with sign(xᵀw*), not the drawn label.
    private let truthIsBayes: Bool
    private let lambda: Double
    /// Reference models in name order (the order they are trained in).
    private let references: [(name: String, samples: Int)]
    /// Names fit() may not overwrite and forget() may not drop.
    private let reserved: Set<String>

    /// w*, a unit vector drawn in prepare; read-only afterwards.
    private var direction: [Double] = []

    private let lock = NSLock()
    private var models: [String: [Double]] = [:]   // guarded by lock

    init(config: ConfigReader, host: HostServices) throws {
        self.host = host
        dimension = try config.integer("d", default: 100, in: 1...1_000_000)
        tau = try config.number("tau", default: 0.15)
        guard tau > 0 else { throw config.invalid("\"tau\" must be a number > 0, got \(tau)") }
        generatorSamples = try config.integer("n0", default: 1000, in: 1...Int(Int32.max))
        guard generatorSamples >= dimension else {
            throw config.invalid(
                "\"n0\" must be at least d = \(dimension) for ordinary least squares, got \(generatorSamples)")
        }
        let labels = try config.string("labels", default: "sign", oneOf: ["sign", "sample", "flip"])
        sampleLabels = labels == "sample"
        flipLabels = labels == "flip"
        flipProbability = try config.number("flip_p", default: 0, in: 0 ... 1)
        if config.has("flip_p") && !flipLabels {
            throw config.invalid("\"flip_p\" applies only with labels = \"flip\"; got labels = \"\(labels)\"")
        }
        generatorAngle = config.has("generator_angle") ? try config.number("generator_angle", in: 0 ... Double.pi) : nil
        if generatorAngle != nil && flipLabels {
            throw config.invalid("give \"generator_angle\" or labels = \"flip\", not both (flip makes the generator the Bayes predictor)")
        }
        truthIsBayes = try config.string("truth", default: "drawn", oneOf: ["drawn", "bayes"]) == "bayes"
        lambda = try config.number("lambda", default: 1e-4)
        guard lambda > 0 else { throw config.invalid("\"lambda\" must be a number > 0, got \(lambda)") }

        var references: [(name: String, samples: Int)] = []
        for (name, inner) in try config.tables("models") {
            guard !name.isEmpty, !Self.builtInNames.contains(name) else {
                throw config.invalid(
                    "\"models\" may not define a model named \"\(name)\"; "
                        + "expected a non-empty name other than \"generator\" and \"bayes\"")
            }
            let samples = try inner.integer("n0", in: 1...Int(Int32.max))
            guard samples >= dimension else {
                throw inner.invalid(
                    "\"n0\" must be at least d = \(dimension) for ordinary least squares, got \(samples)")
            }
            try inner.finish()
            references.append((name, samples))
        }
        self.references = references
        reserved = Set(Self.builtInNames + references.map(\.name))
    }

    // MARK: - Preparation

    func prepare(rng: HostRandom) throws -> (xCols: Int, yCols: Int) {
        let d = dimension
        // w*: a normal vector, normalised. Drawn first so that it depends on
        // the seed alone, not on n0 or the reference models.
        var w = rng.normal(count: d)
        let norm = sqrt(w.reduce(0) { $0 + $1 * $1 })
        guard norm > 0, norm.isFinite else {
            throw PluginError.failed("gaussian-mixture: prepare: the drawn direction w* has norm \(norm)")
        }
        for j in w.indices { w[j] /= norm }
        direction = w

        var table: [String: [Double]] = [:]
        table["bayes"] = w.map { 2 * tau * Double(d) * $0 }
        table["generator"] = try trainLeastSquares(name: "generator", samples: generatorSamples, rng: rng)
        // Flip mode: the generator is the Bayes predictor whose synthesized
        // labels are flipped at random. The least-squares fit above still
        // runs, so reference models see the same random numbers either way.
        if flipLabels { table["generator"] = table["bayes"] }
        if let angle = generatorAngle { table["generator"] = try angled(angle, from: w, scale: 2 * tau * Double(d), rng: rng) }
        for reference in references {
            table[reference.name] = try trainLeastSquares(name: reference.name, samples: reference.samples, rng: rng)
        }
        lock.withLock { models = table }
        return (xCols: d, yCols: 1)
    }

    /// cos θ·w + sin θ·u, times `scale`, with u a unit vector orthogonal to
    /// the unit vector w drawn from `rng` (the last draw of prepare, so that
    /// every other model sees the same numbers with or without it).
    private func angled(_ angle: Double, from w: [Double], scale: Double, rng: HostRandom) throws -> [Double] {
        var u = rng.normal(count: w.count)
        let along = zip(u, w).reduce(0) { $0 + $1.0 * $1.1 }
        for j in u.indices { u[j] -= along * w[j] }
        let norm = sqrt(u.reduce(0) { $0 + $1 * $1 })
        guard norm > 0, norm.isFinite else {
            throw PluginError.failed("gaussian-mixture: prepare: no direction orthogonal to w* could be drawn (d = \(w.count))")
        }
        return zip(w, u).map { scale * (cos(angle) * $0 + sin(angle) * $1 / norm) }
    }

    /// Draws `samples` clean pairs and regresses y ∈ {−1, +1} on x by
    /// ordinary least squares, without intercept.
    private func trainLeastSquares(name: String, samples: Int, rng: HostRandom) throws -> [Double] {
        var x = [Double](repeating: 0, count: samples * dimension)
        var y = [Double](repeating: 0, count: samples)
        x.withUnsafeMutableBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in sample(rng: rng, count: samples, x: x, y: y) }
        }
        let weights: [Double]
        do {
            weights = try x.withUnsafeBufferPointer { x in
                try y.withUnsafeBufferPointer { y in
                    try ordinaryLeastSquares(x: x, rows: samples, cols: dimension, y: y)
                }
            }
        } catch {
            throw PluginError.failed(
                "gaussian-mixture: ordinary least squares for model \"\(name)\" on \(samples) samples failed: \(error)")
        }
        guard weights.count == dimension, weights.allSatisfy(\.isFinite) else {
            throw PluginError.failed("gaussian-mixture: ordinary least squares for model \"\(name)\" gave non-finite weights")
        }
        return weights
    }

    /// Fills `count` clean samples: the labels' uniforms into `y`, then the
    /// noise into `x`, then x = z/√d + y·τ·w*.
    ///
    /// The normals are drawn a block of rows at a time and each block is
    /// transformed at once, while it is still in L1: one pass over x in
    /// memory instead of two. (A bulk fill seeds its own lanes, so the
    /// samples depend on the block size: it is a constant.)
    private func sample(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>,
                        y: UnsafeMutableBufferPointer<Double>) {
        guard count > 0, let xBase = x.baseAddress else { return }
        let d = dimension
        rng.fillUniform(UnsafeMutableBufferPointer(rebasing: y[0 ..< count]))
        let scale = 1 / Double(d).squareRoot()
        let blockRows = max(1, Self.sampleBlockValues / d)
        // Per row, label · tau: the shift along w*, as `scaleAddRows` takes it.
        var shifts = [Double](repeating: 0, count: blockRows)
        direction.withUnsafeBufferPointer { w in
            var start = 0
            while start < count {
                let rows = min(blockRows, count - start)
                let block = UnsafeMutableBufferPointer(start: xBase + start * d, count: rows * d)
                rng.fillNormal(block)
                for i in 0 ..< rows {
                    let label: Double = y[start + i] < 0.5 ? -1 : 1
                    y[start + i] = label
                    shifts[i] = label * tau
                }
                // x = z / √d + (label · tau) · w*, in SIMD.
                shifts.withUnsafeBufferPointer {
                    scaleAddRows(block, scale: scale, coefficients: UnsafeBufferPointer(rebasing: $0[0 ..< rows]), v: w)
                }
                start += rows
            }
        }
    }

    /// Values of x per block of `sample`: 16 KiB, half of L1d.
    private static let sampleBlockValues = 2048

    // MARK: - Batch calls

    func draw(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>,
              y: UnsafeMutableBufferPointer<Double>) throws {
        sample(rng: rng, count: count, x: x, y: y)
    }

    func label(model name: String, mode: LabelMode, batch: Batch, rng: HostRandom,
               into y: UnsafeMutableBufferPointer<Double>) throws {
        let w = try model(name)
        let rows = batch.rows
        // Margins xᵀw straight into the output, then turned into labels.
        try margins(batch, w, into: y, model: name)
        if mode == .synthesize && flipLabels && name == "generator" {
            var uniforms = [Double](repeating: 0, count: rows)
            uniforms.withUnsafeMutableBufferPointer { rng.fillUniform($0) }
            for i in 0 ..< rows {
                let bayes: Double = y[i] >= 0 ? 1 : -1
                y[i] = uniforms[i] < flipProbability ? -bayes : bayes
            }
        } else if mode == .synthesize && sampleLabels {
            var uniforms = [Double](repeating: 0, count: rows)
            uniforms.withUnsafeMutableBufferPointer { rng.fillUniform($0) }
            for i in 0 ..< rows {
                y[i] = uniforms[i] < sigmoid(y[i]) ? 1 : -1
            }
        } else {
            for i in 0 ..< rows {
                y[i] = y[i] >= 0 ? 1 : -1
            }
        }
    }

    func similarity(batch: Batch, truth: UnsafeBufferPointer<Double>,
                    into s: UnsafeMutableBufferPointer<Double>) throws {
        let rows = batch.rows
        let labels = batch.y
        try checkLabels(labels, batch: batch, call: "similarity", what: "label y'")
        try checkLabels(truth, batch: batch, call: "similarity", what: "true label y")
        if truthIsBayes {
            // The reference is the Bayes label of x (ties to +1, as label()).
            try margins(batch, try model("bayes"), into: s, model: "bayes")
            for i in 0 ..< rows {
                s[i] = labels[i] == (s[i] >= 0 ? 1 : -1) ? 1 : 0
            }
            return
        }
        for i in 0 ..< rows {
            s[i] = labels[i] == truth[i] ? 1 : 0
        }
    }

    func logLikelihood(model name: String, batch: Batch, into out: UnsafeMutableBufferPointer<Double>) throws {
        let w = try model(name)
        let rows = batch.rows
        let labels = batch.y
        try checkLabels(labels, batch: batch, call: "log_likelihood", what: "label y")
        try margins(batch, w, into: out, model: name)
        for i in 0 ..< rows {
            out[i] = logSigmoid(labels[i] * out[i])
        }
    }

    // MARK: - Model table

    func fit(model name: String, batch: Batch) throws {
        guard !name.isEmpty else { throw PluginError.argument("gaussian-mixture: fit: the model name is empty") }
        if reserved.contains(name) {
            throw PluginError.argument(
                "gaussian-mixture: fit: \"\(name)\" is a built-in or reference model and cannot be overwritten; choose another name")
        }
        guard batch.rows > 0 else {
            throw PluginError.argument("gaussian-mixture: fit: model \"\(name)\" got an empty batch; expected at least one pair")
        }
        let labels = batch.y
        try checkLabels(labels, batch: batch, call: "fit", what: "label y")

        let result: LogisticFit
        do {
            result = try ridgeLogisticRegression(
                x: batch.x, rows: batch.rows, cols: dimension, labels: labels, lambda: lambda,
                gradientTolerance: Self.fitTolerance, maxIterations: Self.fitIterations, threads: host.threads)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.failed(
                "gaussian-mixture: fit: ridge logistic regression of model \"\(name)\" on \(batch.rows) pairs failed: \(error)")
        }
        guard result.weights.count == dimension, result.weights.allSatisfy(\.isFinite) else {
            throw PluginError.failed("gaussian-mixture: fit: model \"\(name)\" came out with non-finite weights")
        }
        if !(result.gradientNorm <= Self.fitTolerance) {
            host.log(.warning, "gaussian-mixture: fit of model \"\(name)\" stopped after \(result.iterations) iterations "
                + "with gradient norm \(result.gradientNorm) (tolerance \(Self.fitTolerance))")
        }
        lock.withLock { models[name] = result.weights }
    }

    func forget(model name: String) {
        guard !reserved.contains(name) else { return }
        lock.withLock { _ = models.removeValue(forKey: name) }
    }

    func taskVector(_ name: String, into out: UnsafeMutableBufferPointer<Double>) throws {
        guard name == "direction" else {
            throw PluginError.notFound("gaussian-mixture: no task vector named \"\(name)\"; known: direction")
        }
        guard out.count == dimension else {
            throw PluginError.argument(
                "gaussian-mixture: task vector \"direction\" has d = \(dimension) values, \(out.count) were asked for")
        }
        for j in 0 ..< dimension { out[j] = direction[j] }
    }

    // MARK: - Helpers

    /// The weights of a model, read under the lock (a copy-on-write share).
    private func model(_ name: String) throws -> [Double] {
        let (found, known): ([Double]?, [String]) = lock.withLock {
            let found = models[name]
            return (found, found == nil ? models.keys.sorted() : [])
        }
        guard let found else {
            throw PluginError.notFound(
                "gaussian-mixture: no model named \"\(name)\"; known: \(known.joined(separator: ", "))")
        }
        return found
    }

    /// out = X·w for the whole batch (one matrix–vector product); throws if
    /// a margin is not finite (an input with NaN or infinity).
    private func margins(_ batch: Batch, _ w: [Double], into out: UnsafeMutableBufferPointer<Double>,
                         model name: String) throws {
        w.withUnsafeBufferPointer { w in
            LinearAlgebra.multiply(batch.x, rows: batch.rows, cols: dimension, by: w, into: out)
        }
        if let i = out.firstIndex(where: { !$0.isFinite }) {
            throw PluginError.argument(
                "gaussian-mixture: row \(batch.firstRow + i): xᵀw under model \"\(name)\" is \(out[i]); x must be finite")
        }
    }

    private func checkLabels(_ labels: UnsafeBufferPointer<Double>, batch: Batch, call: String, what: String) throws {
        // |y| == 1 counted branch-free (it vectorises); the row is looked
        // for only when some label is something else.
        var ones = 0
        for label in labels { ones &+= abs(label) == 1 ? 1 : 0 }
        if ones != labels.count, let i = labels.firstIndex(where: { $0 != 1 && $0 != -1 }) {
            throw PluginError.argument(
                "gaussian-mixture: \(call): \(what) of row \(batch.firstRow + i) is \(labels[i]); expected -1 or +1")
        }
    }
}

private let exports = ExportedLibrary(GaussianMixtureGenerator.self)
@_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
