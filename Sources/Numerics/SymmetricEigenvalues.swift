// Eigenvalues of real symmetric matrices through LAPACK's dsyevd.

import COpenBLAS

/// Computes the eigenvalues of many symmetric matrices of one order,
/// reusing one LAPACK workspace. Not thread-safe: one solver per thread.
public final class SymmetricEigenvalueSolver {
    public let order: Int
    private var matrix: [Double]
    private var work: [Double]
    private var integerWork: [blasint]

    public init(order: Int) throws {
        guard order >= 1 else {
            throw NumericsError.invalidInput("SymmetricEigenvalueSolver: order must be at least 1, got \(order)")
        }
        self.order = order
        matrix = [Double](repeating: 0, count: order * order)
        // jobz = "N": LAPACK documents LWORK ≥ 2·N + 1 and LIWORK ≥ 1.
        work = [Double](repeating: 0, count: 2 * order + 1)
        integerWork = [blasint](repeating: 0, count: 1)
    }

    /// The eigenvalues of the symmetric matrix `a` (order × order; only
    /// its upper triangle in row-major order is read), ascending, as
    /// dsyevd returns them.
    public func eigenvalues(of a: UnsafeBufferPointer<Double>, into w: UnsafeMutableBufferPointer<Double>) throws {
        let n = order
        guard a.count == n * n, w.count == n else {
            throw NumericsError.invalidInput(
                "eigenvalues: \(a.count) matrix entries and \(w.count) outputs for order \(n)")
        }
        for k in 0..<(n * n) { matrix[k] = a[k] }
        // Row-major upper triangle = column-major lower triangle.
        var jobz = CChar(UInt8(ascii: "N")), uplo = CChar(UInt8(ascii: "L"))
        var size = LinearAlgebra.blas(n), lda = LinearAlgebra.blas(n), info: blasint = 0
        var lwork = blasint(work.count), liwork = blasint(integerWork.count)
        matrix.withUnsafeMutableBufferPointer { m in
            work.withUnsafeMutableBufferPointer { work in
                integerWork.withUnsafeMutableBufferPointer { iwork in
                    dsyevd_(&jobz, &uplo, &size, m.baseAddress, &lda, w.baseAddress, work.baseAddress, &lwork,
                            iwork.baseAddress, &liwork, &info)
                }
            }
        }
        if info < 0 { throw NumericsError.invalidInput("dsyevd rejected argument \(-info)") }
        if info > 0 { throw NumericsError.invalidInput("dsyevd failed to converge (info \(info)); is the matrix finite?") }
    }
}
