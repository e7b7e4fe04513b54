import Foundation
import Numerics
import PluginKit

/// A network that predicts a Gaussian over the five eigenvalues of a
/// matrix: per eigenvalue a mean and a log variance (DiagonalGaussian).
///
/// The network sees scaled numbers, entries / 10 ∈ [−1, 1] and
/// eigenvalues / 10 (a few units at most), the range its initialisation
/// and Adam's step length suit; every value crossing this type's API is
/// in the task's own units.
struct EigenModel: Sendable {
    static let inputScale = 0.1
    static let outputScale = 0.1
    static let dimension = SymmetricMatrices.order

    let network: MLP

    /// Trains a fresh network of the given hidden widths on `rows` pairs.
    /// Everything random (initial weights, batch order) comes from `seed`.
    static func train(x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>, rows: Int, hidden: [Int],
                      schedule: TrainingSchedule, seed: UInt64,
                      onEpoch: ((_ epoch: Int, _ meanLoss: Double) -> Void)? = nil) throws -> EigenModel {
        var rng = RandomStream(seed: seed, keys: [])
        // A small output layer: the first predictions are near the mean
        // eigenvalue 0 with unit variance, not wild guesses to unlearn.
        var network = try MLP(widths: [SymmetricMatrices.entries] + hidden + [2 * dimension], rng: &rng, outputScale: 0.1)
        let scaledX = x.prefix(rows * SymmetricMatrices.entries).map { $0 * inputScale }
        let scaledY = y.prefix(rows * dimension).map { $0 * outputScale }
        try scaledX.withUnsafeBufferPointer { sx in
            try scaledY.withUnsafeBufferPointer { sy in
                _ = try trainGaussianNetwork(&network, x: sx, y: sy, rows: rows, schedule: schedule, rng: &rng, onEpoch: onEpoch)
            }
        }
        return EigenModel(network: network)
    }

    /// The network's outputs, in scaled units: rows × (5 means, 5 log variances).
    private func outputs(_ x: UnsafeBufferPointer<Double>, rows: Int) -> [Double] {
        let scaledX = x.prefix(rows * SymmetricMatrices.entries).map { $0 * Self.inputScale }
        var out = [Double](repeating: 0, count: rows * 2 * Self.dimension)
        scaledX.withUnsafeBufferPointer { sx in
            out.withUnsafeMutableBufferPointer { network.predict(sx, rows: rows, into: $0) }
        }
        return out
    }

    /// The predicted means: the model's single most likely eigenvalues.
    func means(_ x: UnsafeBufferPointer<Double>, rows: Int, into y: UnsafeMutableBufferPointer<Double>) {
        let out = outputs(x, rows: rows), m = Self.dimension
        for r in 0..<rows {
            for j in 0..<m { y[r * m + j] = out[r * 2 * m + j] / Self.outputScale }
        }
    }

    /// One draw per row from the predictive Gaussian with its standard
    /// deviations multiplied by `temperature`: μ + temperature·σ·z, with
    /// z from `rng` (5 normals per row, in row order).
    func sample(_ x: UnsafeBufferPointer<Double>, rows: Int, temperature: Double, rng: HostRandom,
                into y: UnsafeMutableBufferPointer<Double>) {
        let out = outputs(x, rows: rows), m = Self.dimension
        let z = rng.normal(count: rows * m)
        for r in 0..<rows {
            for j in 0..<m {
                let mean = out[r * 2 * m + j], logVariance = out[r * 2 * m + m + j]
                y[r * m + j] = (mean + temperature * exp(0.5 * logVariance) * z[r * m + j]) / Self.outputScale
            }
        }
    }

    /// log p(y | x) of each row, a density over eigenvalues in the task's
    /// units: the scaled density less 5·log(1/outputScale), the Jacobian.
    func logLikelihood(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, rows: Int,
                       into result: UnsafeMutableBufferPointer<Double>) {
        let out = outputs(x, rows: rows), m = Self.dimension
        let scaledY = y.prefix(rows * m).map { $0 * Self.outputScale }
        let jacobian = Double(m) * log(Self.outputScale)
        out.withUnsafeBufferPointer { out in
            scaledY.withUnsafeBufferPointer { sy in
                for r in 0..<rows {
                    result[r] = DiagonalGaussian.logDensity(out, at: r, of: sy, targetRow: r, dimension: m) + jacobian
                }
            }
        }
    }
}
