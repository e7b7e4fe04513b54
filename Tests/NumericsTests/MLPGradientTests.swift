import Numerics
import XCTest

/// The MLP's backward pass through the Gaussian negative log-likelihood,
/// against central finite differences of the loss: any wrong term (a
/// transposed product, a missing ReLU mask, a bias sum, a factor in the
/// loss's derivative) moves some parameter's gradient far beyond the
/// tolerance.
final class MLPGradientTests: XCTestCase {
    private let widths = [3, 6, 5, 4]   // two hidden ReLU layers; outputs: 2 means, 2 log variances
    private let rows = 7

    private func problem(seed: UInt64) throws -> (network: MLP, x: [Double], y: [Double]) {
        var rng = RandomStream(seed: seed, keys: stableHash("mlp-gradient"))
        // Random biases too: with the zero biases of a fresh network, a row
        // whose hidden units are all off puts the next layer exactly on the
        // ReLU's kink, where a finite difference is one-sided.
        var parameters = [Double](repeating: 0, count: MLP.parameterCount(widths))
        parameters.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        let network = try MLP(widths: widths, parameters: parameters.map { 0.7 * $0 })
        var x = [Double](repeating: 0, count: rows * widths[0])
        var y = [Double](repeating: 0, count: rows * 2)
        x.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        y.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        return (network, x, y)
    }

    /// The mean loss of `network` on the batch, and (optionally) its
    /// gradient by the backward pass.
    private func loss(_ network: MLP, _ x: [Double], _ y: [Double], gradient: inout [Double]) -> Double {
        let workspace = MLPWorkspace(network: network, rows: rows)
        var outputGradient = [Double](repeating: 0, count: rows * network.outputs)
        return x.withUnsafeBufferPointer { x in
            network.forward(x, rows: rows, workspace: workspace)
            let value = workspace.withOutput(rows: rows) { out in
                y.withUnsafeBufferPointer { y in
                    outputGradient.withUnsafeMutableBufferPointer {
                        DiagonalGaussian.meanNegativeLogLikelihood(out, targets: y, rows: rows, dimension: 2, gradient: $0)
                    }
                }
            }
            outputGradient.withUnsafeBufferPointer { og in
                gradient.withUnsafeMutableBufferPointer { g in
                    network.backward(x, rows: rows, outputGradient: og, workspace: workspace, gradient: g)
                }
            }
            return value
        }
    }

    func testBackwardMatchesFiniteDifferencesForEveryParameter() throws {
        for seed: UInt64 in [1, 2, 3] {
            let (network, x, y) = try problem(seed: seed)
            var analytic = [Double](repeating: 0, count: network.parameters.count)
            _ = loss(network, x, y, gradient: &analytic)
            var scratch = analytic
            let h = 1e-6
            var worst = 0.0
            for k in network.parameters.indices {
                var plus = network, minus = network
                plus.parameters[k] += h
                minus.parameters[k] -= h
                let numeric = (loss(plus, x, y, gradient: &scratch) - loss(minus, x, y, gradient: &scratch)) / (2 * h)
                let error = abs(numeric - analytic[k]) / max(1e-3, abs(numeric) + abs(analytic[k]))
                worst = max(worst, error)
                XCTAssertLessThan(error, 1e-5, "seed \(seed), parameter \(k): backward \(analytic[k]), finite difference \(numeric)")
            }
            // A check that cannot fail is no check: the gradient must be
            // far from zero for the comparison above to mean anything.
            XCTAssertGreaterThan(analytic.map(abs).max()!, 1e-2, "seed \(seed): gradient is (nearly) zero")
            XCTAssertLessThan(worst, 1e-5)
        }
    }

    func testGaussianLossGradientAgainstClosedForm() {
        // One row, one dimension: μ = 0.5, s = log σ² = −0.2, y = 1.5.
        // NLL = ½log2π + ½s + ½(y−μ)²e^{−s}; ∂/∂μ = −(y−μ)e^{−s}; ∂/∂s = ½(1 − (y−μ)²e^{−s}).
        let output = [0.5, -0.2], y = [1.5]
        var gradient = [0.0, 0.0]
        let value = output.withUnsafeBufferPointer { o in
            y.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer {
                    DiagonalGaussian.meanNegativeLogLikelihood(o, targets: t, rows: 1, dimension: 1, gradient: $0)
                }
            }
        }
        let precision = exp(0.2)
        XCTAssertEqual(value, 0.5 * log(2 * Double.pi) - 0.1 + 0.5 * precision, accuracy: 1e-14)
        XCTAssertEqual(gradient[0], -precision, accuracy: 1e-14)
        XCTAssertEqual(gradient[1], 0.5 * (1 - precision), accuracy: 1e-14)
        let logDensity = output.withUnsafeBufferPointer { o in
            y.withUnsafeBufferPointer { DiagonalGaussian.logDensity(o, at: 0, of: $0, targetRow: 0, dimension: 1) }
        }
        XCTAssertEqual(logDensity, -value, accuracy: 1e-14)
    }

    func testPredictEqualsForwardInBlocks() throws {
        // predict works in blocks of 1024 rows; 2500 rows cross two borders.
        var rng = RandomStream(seed: 5, keys: [])
        let network = try MLP(widths: [3, 8, 4], rng: &rng)
        var x = [Double](repeating: 0, count: 2500 * 3)
        x.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        var blocked = [Double](repeating: 0, count: 2500 * 4)
        x.withUnsafeBufferPointer { x in blocked.withUnsafeMutableBufferPointer { network.predict(x, rows: 2500, into: $0) } }
        for row in [0, 1023, 1024, 2047, 2048, 2499] {
            // One row by hand: ReLU(x·W₀ + b₀)·W₁ + b₁.
            let p = network.parameters
            var hidden = [Double](repeating: 0, count: 8)
            for j in 0..<8 {
                var z = p[24 + j]
                for i in 0..<3 { z += x[row * 3 + i] * p[i * 8 + j] }
                hidden[j] = max(0, z)
            }
            for j in 0..<4 {
                var z = p[32 + 32 + j]
                for i in 0..<8 { z += hidden[i] * p[32 + i * 4 + j] }
                XCTAssertEqual(blocked[row * 4 + j], z, accuracy: 1e-12, "row \(row), output \(j)")
            }
        }
    }
}
