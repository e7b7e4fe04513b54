// Adam (Kingma & Ba 2015): per-parameter steps scaled by running
// estimates of the gradient's first and second moments, bias-corrected.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct Adam: Sendable {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Steps taken so far.
    public private(set) var step = 0
    private var firstMoment: [Double]
    private var secondMoment: [Double]

    public init(parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = [Double](repeating: 0, count: parameterCount)
    }

    /// One step of length `learningRate` against `gradient`:
    ///   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
    ///   θ ← θ − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
    public mutating func update(_ parameters: inout [Double], gradient: UnsafeBufferPointer<Double>, learningRate: Double) {
        precondition(parameters.count == firstMoment.count && gradient.count == firstMoment.count,
                     "Adam: \(parameters.count) parameters and \(gradient.count) gradient entries, expected \(firstMoment.count)")
        step += 1
        let correction1 = 1 - pow(beta1, Double(step)), correction2 = 1 - pow(beta2, Double(step))
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { theta in
                    for k in 0..<theta.count {
                        let g = gradient[k]
                        m[k] = b1 * m[k] + (1 - b1) * g
                        v[k] = b2 * v[k] + (1 - b2) * g * g
                        theta[k] -= learningRate * (m[k] / correction1) / ((v[k] / correction2).squareRoot() + eps)
                    }
                }
            }
        }
    }
}
