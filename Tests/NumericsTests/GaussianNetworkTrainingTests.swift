import Numerics
import XCTest

final class GaussianNetworkTrainingTests: XCTestCase {
    /// y = (sin(2x₁) + x₂, x₁x₂) plus noise of known standard deviation 0.1.
    private func data(rows: Int) -> (x: [Double], y: [Double]) {
        var rng = RandomStream(seed: 11, keys: stableHash("training-test"))
        var x = [Double](repeating: 0, count: rows * 2), y = [Double](repeating: 0, count: rows * 2)
        for r in 0..<rows {
            let (a, b) = (2 * rng.uniform() - 1, 2 * rng.uniform() - 1)
            x[r * 2] = a; x[r * 2 + 1] = b
            y[r * 2] = sin(2 * a) + b + 0.1 * rng.normal()
            y[r * 2 + 1] = a * b + 0.1 * rng.normal()
        }
        return (x, y)
    }

    private func train(seed: UInt64, rows: Int, epochs: Int) throws -> (MLP, Double) {
        let (x, y) = data(rows: rows)
        var rng = RandomStream(seed: seed, keys: [])
        var network = try MLP(widths: [2, 32, 32, 4], rng: &rng, outputScale: 0.1)
        let loss = try x.withUnsafeBufferPointer { x in
            try y.withUnsafeBufferPointer { y in
                try trainGaussianNetwork(&network, x: x, y: y, rows: rows,
                                         schedule: TrainingSchedule(epochs: epochs, batchSize: 64, learningRate: 0.01),
                                         rng: &rng)
            }
        }
        return (network, loss)
    }

    func testLearnsMeansAndNoiseLevel() throws {
        let (network, loss) = try train(seed: 1, rows: 4000, epochs: 60)
        // At the truth the mean NLL per row is 2·(½log2π + log 0.1 + ½) ≈ −1.77;
        // an untrained network sits near 2·½log2π + ½E[|y|²] ≈ 2.3.
        XCTAssertLessThan(loss, -1.6, "final mean loss \(loss)")
        var out = [Double](repeating: 0, count: 4)
        [0.5, -0.5].withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { network.predict(x, rows: 1, into: $0) } }
        XCTAssertEqual(out[0], sin(1.0) - 0.5, accuracy: 0.1)
        XCTAssertEqual(out[1], -0.25, accuracy: 0.1)
        // Log variances near log 0.01 ≈ −4.6.
        XCTAssertEqual(out[2], log(0.01), accuracy: 1)
        XCTAssertEqual(out[3], log(0.01), accuracy: 1)
    }

    func testSameSeedSameNetwork() throws {
        let (first, _) = try train(seed: 3, rows: 300, epochs: 2)
        let (second, _) = try train(seed: 3, rows: 300, epochs: 2)
        let (other, _) = try train(seed: 4, rows: 300, epochs: 2)
        XCTAssertEqual(first.parameters, second.parameters)
        XCTAssertNotEqual(first.parameters, other.parameters)
    }
}
