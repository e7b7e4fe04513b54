import Foundation
import Numerics
import PluginKit

/// The task's inputs and truth: 5×5 real symmetric matrices with entries
/// drawn independently from U[−10, 10] and rounded to three significant
/// digits (the paper's Appendix B), and their eigenvalues, ascending.
///
/// An input row x holds the 15 entries of the upper triangle, row by row:
/// a₁₁ a₁₂ … a₁₅ a₂₂ … a₂₅ … a₅₅. The lower triangle is its mirror, so the
/// 10 entries below the diagonal would only repeat those above it.
enum SymmetricMatrices {
    static let order = 5
    static let entries = order * (order + 1) / 2
    static let bound = 10.0

    /// Draws `count` inputs into x (count × 15) and their eigenvalues into
    /// y (count × 5), taking exactly 15 uniforms per row from `rng`.
    static func draw(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>,
                     y: UnsafeMutableBufferPointer<Double>) throws {
        guard count > 0 else { return }
        let values = UnsafeMutableBufferPointer(rebasing: x[0..<(count * entries)])
        rng.fillUniform(values)
        for k in values.indices {
            values[k] = roundToSignificantDigits(bound * (2 * values[k] - 1), 3)
        }
        try eigenvalues(of: UnsafeBufferPointer(values), rows: count, into: y)
    }

    /// The eigenvalues, ascending, of each input row (15 upper-triangle
    /// entries), by LAPACK dsyevd.
    static func eigenvalues(of x: UnsafeBufferPointer<Double>, rows: Int,
                            into y: UnsafeMutableBufferPointer<Double>) throws {
        let solver = try SymmetricEigenvalueSolver(order: order)
        var matrix = [Double](repeating: 0, count: order * order)
        for row in 0..<rows {
            expand(UnsafeBufferPointer(rebasing: x[(row * entries)..<((row + 1) * entries)]), into: &matrix)
            do {
                try matrix.withUnsafeBufferPointer { a in
                    try solver.eigenvalues(of: a, into: UnsafeMutableBufferPointer(rebasing: y[(row * order)..<((row + 1) * order)]))
                }
            } catch {
                throw PluginError.argument("symmetric-eigen: eigenvalues of input row \(row): \(error)")
            }
        }
    }

    /// The full symmetric matrix (row-major) of 15 upper-triangle entries.
    static func expand(_ upper: UnsafeBufferPointer<Double>, into matrix: inout [Double]) {
        var k = 0
        for i in 0..<order {
            for j in i..<order {
                matrix[i * order + j] = upper[k]
                matrix[j * order + i] = upper[k]
                k += 1
            }
        }
    }
}

/// `value` rounded to `digits` significant decimal digits (0 stays 0).
func roundToSignificantDigits(_ value: Double, _ digits: Int) -> Double {
    guard value != 0, value.isFinite else { return value }
    let exponent = Int(floor(log10(abs(value))))
    let scale = pow(10, Double(digits - 1 - exponent))
    return (value * scale).rounded() / scale
}
