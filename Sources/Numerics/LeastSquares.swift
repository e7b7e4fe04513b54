/// Ordinary least squares without intercept: argmin ‖X w − y‖², via normal equations (cblas_dsyrk for XᵀX, dgemv for Xᵀy, dposv). rows ≥ cols required (throw invalidInput otherwise).
///
/// X is rows×cols row-major. The normal equations square X's condition
/// number; that is the accepted price for one pass over a tall X with no
/// copy of it. Collinear columns surface as `notPositiveDefinite`.
public func ordinaryLeastSquares(
    x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, y: UnsafeBufferPointer<Double>
) throws -> [Double] {
    guard rows >= 0, cols >= 0, rows >= cols else {
        throw NumericsError.invalidInput("ordinaryLeastSquares needs rows ≥ cols, got \(rows)×\(cols)")
    }
    guard x.count == rows * cols, y.count == rows else {
        throw NumericsError.invalidInput(
            "ordinaryLeastSquares: x has \(x.count) entries and y \(y.count), expected \(rows * cols) and \(rows)")
    }
    if cols == 0 { return [] }
    var gram = [Double](repeating: 0, count: cols * cols)
    gram.withUnsafeMutableBufferPointer {
        LinearAlgebra.accumulateGram(x, rows: rows, cols: cols, beta: 0, into: $0)
    }
    var w = [Double](repeating: 0, count: cols)
    w.withUnsafeMutableBufferPointer {
        LinearAlgebra.multiplyTransposed(x, rows: rows, cols: cols, by: y, into: $0)
    }
    try LinearAlgebra.solveSymmetricPositiveDefinite(&gram, &w, order: cols)
    return w
}
