// A network output read as a Gaussian with diagonal covariance.
//
// Each output row of width 2·m holds the means μ₁…μ_m, then the log
// variances s₁…s_m (σ² = e^s, so any real output is a valid variance).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum DiagonalGaussian {
    /// ½·log(2π).
    public static let halfLogTwoPi = 0.5 * log(2 * Double.pi)

    /// log N(y; μ, diag(e^s)) of one row: −Σ_j [½·log 2π + ½·s_j + ½·(y_j − μ_j)²·e^{−s_j}].
    @inlinable
    public static func logDensity(_ output: UnsafeBufferPointer<Double>, at row: Int,
                                  of y: UnsafeBufferPointer<Double>, targetRow: Int, dimension m: Int) -> Double {
        var total = 0.0
        let o = row * 2 * m, t = targetRow * m
        for j in 0..<m {
            let residual = y[t + j] - output[o + j], s = output[o + m + j]
            total -= halfLogTwoPi + 0.5 * s + 0.5 * residual * residual * exp(-s)
        }
        return total
    }

    /// The mean over `rows` of the negative log density of `y` (rows × m)
    /// under `output` (rows × 2m), and its gradient with respect to
    /// `output` into `gradient` (rows × 2m):
    ///   ∂/∂μ_j = −(y_j − μ_j)·e^{−s_j} / rows,   ∂/∂s_j = ½·(1 − (y_j − μ_j)²·e^{−s_j}) / rows.
    public static func meanNegativeLogLikelihood(_ output: UnsafeBufferPointer<Double>, targets y: UnsafeBufferPointer<Double>,
                                                 rows: Int, dimension m: Int,
                                                 gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        precondition(output.count >= rows * 2 * m && y.count >= rows * m && gradient.count >= rows * 2 * m)
        let scale = 1 / Double(rows)
        var total = 0.0
        for r in 0..<rows {
            let o = r * 2 * m, t = r * m
            for j in 0..<m {
                let residual = y[t + j] - output[o + j], s = output[o + m + j]
                let precision = exp(-s)
                let weighted = residual * residual * precision
                total += halfLogTwoPi + 0.5 * s + 0.5 * weighted
                gradient[o + j] = -residual * precision * scale
                gradient[o + m + j] = 0.5 * (1 - weighted) * scale
            }
        }
        return total * scale
    }
}
