import Foundation
import Numerics
import PluginKit

/// The eigenvalue task of the paper's Section 3 and Appendix B, with a
/// neural generator small enough for a CPU.
///
/// x: the 15 upper-triangle entries of a 5×5 symmetric matrix with entries
/// iid U[−10, 10], three significant digits (SymmetricMatrices); y: its
/// five eigenvalues, ascending, from LAPACK. Models are MLPs predicting a
/// Gaussian over y (EigenModel):
///
/// - "generator": trained in prepare on `n0` clean samples; it synthesizes
///   the pool (a draw from its predictive Gaussian, or its mean);
/// - models made by `fit`: a fresh network of the same shape trained on
///   the given pairs for `fit_epochs` passes or `fit_steps` Adam steps.
///
/// Randomness: prepare's stream gives the clean samples, then one seed for
/// the generator's training and one from which each fit derives its own
/// by the model's name (fit receives no stream through the ABI), so every
/// model is reproducible from the run seed.
///
/// PluginKit checks each batch against the shape prepare returned, and
/// refuses batch calls before prepare.
///
/// Threads: settings and seeds are written only in init and prepare; the
/// model table is guarded by `lock` because fit and forget may run
/// concurrently with each other and with the batch calls.
final class SymmetricEigenGenerator: GeneratorPlugin {
    static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "symmetric-eigen",
            version: "1.0.0",
            summary: "Eigenvalues of 5×5 symmetric matrices (paper, Section 3 and Appendix B) with an MLP generator predicting a Gaussian",
            parameters: EigenSettings.parameters
        )
    }

    private static let generatorName = "generator"

    private let host: HostServices
    private let settings: EigenSettings
    private let similarityRule: EigenSimilarity

    /// Root of the fits' seeds, drawn in prepare.
    private var fitSeed: UInt64 = 0

    private let lock = NSLock()
    private var models: [String: EigenModel] = [:]   // guarded by lock

    init(config: ConfigReader, host: HostServices) throws {
        self.host = host
        settings = try EigenSettings(config)
        similarityRule = EigenSimilarity(tau: settings.tau, rule: settings.similarity)
    }

    private var xCols: Int { SymmetricMatrices.entries }
    private var yCols: Int { SymmetricMatrices.order }

    // MARK: - Preparation

    func prepare(rng: HostRandom) throws -> (xCols: Int, yCols: Int) {
        let n = settings.cleanSamples
        var x = [Double](repeating: 0, count: n * xCols)
        var y = [Double](repeating: 0, count: n * yCols)
        try x.withUnsafeMutableBufferPointer { x in
            try y.withUnsafeMutableBufferPointer { y in try SymmetricMatrices.draw(rng: rng, count: n, x: x, y: y) }
        }
        var seeds = [UInt64](repeating: 0, count: 2)
        seeds.withUnsafeMutableBufferPointer { rng.fillBits($0) }
        fitSeed = seeds[1]
        let generator = try train(Self.generatorName, x: x, y: y, rows: n, schedule: settings.schedule, seed: seeds[0])
        lock.withLock { models = [Self.generatorName: generator] }
        return (xCols: xCols, yCols: yCols)
    }

    /// Trains one network, logging its start, its loss at each quarter of
    /// the epochs and its end: sparse, since the host shows progress bars.
    private func train(_ name: String, x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, rows: Int,
                       schedule: TrainingSchedule, seed: UInt64) throws -> EigenModel {
        host.log(.info, "symmetric-eigen: training \"\(name)\" on \(rows) pairs: hidden \(settings.hidden), "
            + "\(schedule.epochs) epochs of batches of \(schedule.batchSize)")
        let quarter = max(1, schedule.epochs / 4)
        do {
            return try EigenModel.train(x: x, y: y, rows: rows, hidden: settings.hidden, schedule: schedule, seed: seed) { epoch, loss in
                if (epoch + 1) % quarter == 0 || epoch + 1 == schedule.epochs {
                    self.host.log(.info, "symmetric-eigen: \"\(name)\" epoch \(epoch + 1)/\(schedule.epochs): mean loss \(loss)")
                }
            }
        } catch {
            throw PluginError.failed("symmetric-eigen: training model \"\(name)\" on \(rows) pairs failed: \(error)")
        }
    }

    private func train(_ name: String, x: [Double], y: [Double], rows: Int, schedule: TrainingSchedule,
                       seed: UInt64) throws -> EigenModel {
        try x.withUnsafeBufferPointer { x in
            try y.withUnsafeBufferPointer { y in try train(name, x: x, y: y, rows: rows, schedule: schedule, seed: seed) }
        }
    }

    // MARK: - Batch calls

    func draw(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>,
              y: UnsafeMutableBufferPointer<Double>) throws {
        try SymmetricMatrices.draw(rng: rng, count: count, x: x, y: y)
    }

    func label(model name: String, mode: LabelMode, batch: Batch, rng: HostRandom,
               into y: UnsafeMutableBufferPointer<Double>) throws {
        let model = try self.model(name, call: "label")
        try requireFinite(batch.x, batch: batch, what: "x")
        if mode == .synthesize && settings.labels == .sample {
            model.sample(batch.x, rows: batch.rows, temperature: settings.temperature, rng: rng, into: y)
        } else {
            model.means(batch.x, rows: batch.rows, into: y)
        }
    }

    func similarity(batch: Batch, truth: UnsafeBufferPointer<Double>, into s: UnsafeMutableBufferPointer<Double>) throws {
        try requireFinite(batch.y, batch: batch, what: "label y'")
        try requireFinite(truth, batch: batch, what: "true label y")
        for row in 0..<batch.rows {
            s[row] = similarityRule.score(batch.y, truth, row: row, width: yCols)
        }
    }

    func logLikelihood(model name: String, batch: Batch, into out: UnsafeMutableBufferPointer<Double>) throws {
        let model = try self.model(name, call: "log_likelihood")
        try requireFinite(batch.x, batch: batch, what: "x")
        try requireFinite(batch.y, batch: batch, what: "label y")
        model.logLikelihood(batch.x, batch.y, rows: batch.rows, into: out)
    }

    // MARK: - Model table

    func fit(model name: String, batch: Batch) throws {
        guard !name.isEmpty else { throw PluginError.argument("symmetric-eigen: fit: the model name is empty") }
        guard name != Self.generatorName else {
            throw PluginError.argument("symmetric-eigen: fit: \"generator\" is the built-in model and cannot be overwritten; choose another name")
        }
        guard batch.rows > 0 else {
            throw PluginError.argument("symmetric-eigen: fit: model \"\(name)\" got an empty batch; expected at least one pair")
        }
        try requireFinite(batch.x, batch: batch, what: "x")
        try requireFinite(batch.y, batch: batch, what: "label y")
        // The model's own seed, a function of the run and the name alone,
        // so concurrent fits need not agree on an order.
        let seed = hashKeys(fitSeed, [stableHash(name)])
        let fitted = try train(name, x: batch.x, y: batch.y, rows: batch.rows, schedule: settings.fitSchedule(rows: batch.rows), seed: seed)
        lock.withLock { models[name] = fitted }
    }

    func forget(model name: String) {
        guard name != Self.generatorName else { return }
        lock.withLock { _ = models.removeValue(forKey: name) }
    }

    func taskVector(_ name: String, into out: UnsafeMutableBufferPointer<Double>) throws {
        throw PluginError.notFound("symmetric-eigen: no task vector named \"\(name)\"; this task publishes none")
    }

    // MARK: - Helpers

    /// A model read under the lock (the network is a value: a shared copy).
    private func model(_ name: String, call: String) throws -> EigenModel {
        let (found, known): (EigenModel?, [String]) = lock.withLock {
            let found = models[name]
            return (found, found == nil ? models.keys.sorted() : [])
        }
        guard let found else {
            throw PluginError.notFound("symmetric-eigen: \(call): no model named \"\(name)\"; known: \(known.joined(separator: ", "))")
        }
        return found
    }

    private func requireFinite(_ values: UnsafeBufferPointer<Double>, batch: Batch, what: String) throws {
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            let width = values.count / max(batch.rows, 1)
            throw PluginError.argument(
                "symmetric-eigen: \(what) of row \(batch.firstRow + k / max(width, 1)) holds \(values[k]); expected finite numbers")
        }
    }
}

private let exports = ExportedLibrary(SymmetricEigenGenerator.self)
@_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
