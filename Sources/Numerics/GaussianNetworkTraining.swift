// Mini-batch Adam on the Gaussian negative log-likelihood of an MLP whose
// outputs are read by DiagonalGaussian (means, then log variances).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct TrainingSchedule: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// The step length decays along a half cosine from `learningRate` to
    /// `learningRate · finalFraction` over all steps: long steps early,
    /// short ones to settle the means precisely at the end.
    public var finalFraction: Double

    public init(epochs: Int, batchSize: Int, learningRate: Double, finalFraction: Double = 0.01) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.finalFraction = finalFraction
    }

    func learningRate(atStep step: Int, of total: Int) -> Double {
        let progress = total <= 1 ? 1 : Double(step) / Double(total - 1)
        let cosine = 0.5 * (1 + cos(Double.pi * progress))
        return learningRate * (finalFraction + (1 - finalFraction) * cosine)
    }
}

public struct TrainingDiverged: Error, CustomStringConvertible {
    public var epoch: Int
    public var loss: Double
    public var description: String { "training diverged: mean loss \(loss) in epoch \(epoch)" }
}

/// Trains `network` (2·m outputs) on `rows` pairs: inputs x (rows ×
/// network.inputs) and targets y (rows × m). Each epoch visits the rows in
/// a fresh order drawn from `rng`, so the result is a function of the data,
/// the starting network, the schedule and the stream alone. `onEpoch` is
/// told each epoch's mean loss. Returns the last epoch's mean loss; throws
/// `TrainingDiverged` if a loss is not finite.
@discardableResult
public func trainGaussianNetwork(_ network: inout MLP, x: UnsafeBufferPointer<Double>, y: UnsafeBufferPointer<Double>,
                                 rows: Int, schedule: TrainingSchedule, rng: inout RandomStream,
                                 onEpoch: ((_ epoch: Int, _ meanLoss: Double) -> Void)? = nil) throws -> Double {
    let (d, outputs) = (network.inputs, network.outputs)
    let m = outputs / 2
    guard outputs == 2 * m, rows >= 1, x.count >= rows * d, y.count >= rows * m,
          schedule.epochs >= 1, schedule.batchSize >= 1 else {
        throw NumericsError.invalidInput(
            "trainGaussianNetwork: \(rows) rows, \(outputs) outputs (expected 2 per target), \(schedule.epochs) epochs, batch \(schedule.batchSize)")
    }
    let batch = min(schedule.batchSize, rows)
    let batchesPerEpoch = (rows + batch - 1) / batch
    let totalSteps = batchesPerEpoch * schedule.epochs
    let workspace = MLPWorkspace(network: network, rows: batch)
    var adam = Adam(parameterCount: network.parameters.count)
    var order = Array(0..<rows)
    var batchX = [Double](repeating: 0, count: batch * d)
    var batchY = [Double](repeating: 0, count: batch * m)
    var outputGradient = [Double](repeating: 0, count: batch * outputs)
    var gradient = [Double](repeating: 0, count: network.parameters.count)
    var lastLoss = Double.nan

    for epoch in 0..<schedule.epochs {
        shuffle(&order, rng: &rng)
        var lossSum = 0.0
        for start in stride(from: 0, to: rows, by: batch) {
            let count = min(batch, rows - start)
            for r in 0..<count {
                let source = order[start + r]
                for j in 0..<d { batchX[r * d + j] = x[source * d + j] }
                for j in 0..<m { batchY[r * m + j] = y[source * m + j] }
            }
            let loss = batchX.withUnsafeBufferPointer { bx in
                batchY.withUnsafeBufferPointer { by in
                    outputGradient.withUnsafeMutableBufferPointer { og in
                        gradient.withUnsafeMutableBufferPointer { g in
                            network.forward(bx, rows: count, workspace: workspace)
                            let loss = workspace.withOutput(rows: count) { out in
                                DiagonalGaussian.meanNegativeLogLikelihood(out, targets: by, rows: count, dimension: m, gradient: og)
                            }
                            network.backward(bx, rows: count, outputGradient: UnsafeBufferPointer(og), workspace: workspace, gradient: g)
                            return loss
                        }
                    }
                }
            }
            guard loss.isFinite else { throw TrainingDiverged(epoch: epoch, loss: loss) }
            lossSum += loss * Double(count)
            let rate = schedule.learningRate(atStep: adam.step, of: totalSteps)
            gradient.withUnsafeBufferPointer { adam.update(&network.parameters, gradient: $0, learningRate: rate) }
        }
        lastLoss = lossSum / Double(rows)
        onEpoch?(epoch, lastLoss)
    }
    return lastLoss
}

/// Fisher–Yates with indices from `rng` (multiply-shift: no modulo bias
/// worth the name for arrays far below 2³²).
private func shuffle(_ values: inout [Int], rng: inout RandomStream) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
        let j = Int((rng.next() >> 32) &* UInt64(i + 1) >> 32)
        values.swapAt(i, j)
    }
}
