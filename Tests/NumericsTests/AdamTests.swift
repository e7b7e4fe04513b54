import Numerics
import XCTest

final class AdamTests: XCTestCase {
    /// Two steps worked by hand (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, lr = 0.1).
    ///
    /// Step 1, g = (0.5, −0.1): the bias corrections make m̂ = g and
    /// v̂ = g², so each parameter moves by lr·g/(|g| + ε) ≈ lr·sign(g):
    ///   θ = (1 − 0.1·0.5/0.50000001, −2 + 0.1·0.1/0.10000001) = (0.900000002, −1.90000001).
    /// Step 2, g = (1, 0):
    ///   m = (0.9·0.05 + 0.1·1, 0.9·(−0.01)) = (0.145, −0.009), m̂ = m/0.19;
    ///   v = (0.999·0.00025 + 0.001·1, 0.999·0.00001) = (0.00124975, 0.00000999), v̂ = v/0.001999;
    ///   θ₁ = 0.900000002 − 0.1·0.7631579/0.7906876 = 0.8034818006,
    ///   θ₂ = −1.90000001 + 0.1·0.0473684/0.0706929 = −1.8329941941
    ///   (the second parameter keeps moving on momentum alone).
    func testTwoStepsWorkedByHand() {
        var theta = [1.0, -2.0]
        var adam = Adam(parameterCount: 2)
        [0.5, -0.1].withUnsafeBufferPointer { adam.update(&theta, gradient: $0, learningRate: 0.1) }
        XCTAssertEqual(theta[0], 0.900000002, accuracy: 1e-12)
        XCTAssertEqual(theta[1], -1.90000001, accuracy: 1e-12)
        [1.0, 0.0].withUnsafeBufferPointer { adam.update(&theta, gradient: $0, learningRate: 0.1) }
        XCTAssertEqual(theta[0], 0.8034818006385094, accuracy: 1e-12)
        XCTAssertEqual(theta[1], -1.8329941940647696, accuracy: 1e-12)
        XCTAssertEqual(adam.step, 2)
    }

    func testZeroGradientFromRestDoesNotMove() {
        var theta = [3.0]
        var adam = Adam(parameterCount: 1)
        [0.0].withUnsafeBufferPointer { adam.update(&theta, gradient: $0, learningRate: 0.5) }
        XCTAssertEqual(theta, [3.0])
    }
}
