// Thin, checked wrappers over OpenBLAS. Matrices are row-major Double
// buffers throughout Assay; LAPACK is column-major, which only matters for
// non-symmetric data and is handled where it arises.

import COpenBLAS

public enum NumericsError: Error, CustomStringConvertible {
    /// The leading minor of this order is not positive definite (LAPACK's
    /// `info` from the Cholesky factorisation).
    case notPositiveDefinite(order: Int)
    case didNotConverge(iterations: Int, gradientNorm: Double)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .notPositiveDefinite(let order):
            return "matrix is not positive definite (leading minor of order \(order))"
        case .didNotConverge(let iterations, let gradientNorm):
            return "did not converge after \(iterations) iterations (gradient norm \(gradientNorm))"
        case .invalidInput(let message):
            return "invalid input: \(message)"
        }
    }
}

public enum LinearAlgebra {
    /// out[i] = Σ_j x[i*cols+j] * w[j]   (cblas_dgemv, row-major)
    ///
    /// Requires x.count == rows·cols, w.count == cols, out.count == rows.
    public static func multiply(
        _ x: UnsafeBufferPointer<Double>, rows: Int, cols: Int,
        by w: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>
    ) {
        checkShape(x, rows: rows, cols: cols)
        precondition(w.count == cols, "multiply: w has \(w.count) entries, expected \(cols)")
        precondition(out.count == rows, "multiply: out has \(out.count) entries, expected \(rows)")
        if rows == 0 { return }
        // BLAS rejects lda = 0, and an empty sum is 0 anyway.
        if cols == 0 { out.update(repeating: 0); return }
        cblas_dgemv(CblasRowMajor, CblasNoTrans, blas(rows), blas(cols), 1.0,
                    x.baseAddress, blas(cols), w.baseAddress, 1, 0.0, out.baseAddress, 1)
    }

    /// out[j] = Σ_i x[i*cols+j] * v[i], i.e. Xᵀv   (cblas_dgemv, transposed);
    /// with `accumulating`, out[j] += that sum.
    ///
    /// Requires x.count == rows·cols, v.count == rows, out.count == cols.
    public static func multiplyTransposed(
        _ x: UnsafeBufferPointer<Double>, rows: Int, cols: Int,
        by v: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>, accumulating: Bool = false
    ) {
        checkShape(x, rows: rows, cols: cols)
        precondition(v.count == rows, "multiplyTransposed: v has \(v.count) entries, expected \(rows)")
        precondition(out.count == cols, "multiplyTransposed: out has \(out.count) entries, expected \(cols)")
        if cols == 0 { return }
        if rows == 0 { if !accumulating { out.update(repeating: 0) }; return }
        cblas_dgemv(CblasRowMajor, CblasTrans, blas(rows), blas(cols), 1.0,
                    x.baseAddress, blas(cols), v.baseAddress, 1, accumulating ? 1.0 : 0.0, out.baseAddress, 1)
    }

    /// Solves the symmetric positive-definite system A·v = b in place (A cols×cols row-major, destroyed); throws NumericsError.notPositiveDefinite
    ///
    /// Only the upper triangle of A (row-major, entries i ≤ j) is read, so a
    /// full symmetric matrix and the output of a row-major upper `dsyrk`
    /// both work. On return `b` holds v and `a` its Cholesky factor.
    public static func solveSymmetricPositiveDefinite(_ a: inout [Double], _ b: inout [Double], order n: Int) throws {
        guard n >= 0, a.count == n * n, b.count == n else {
            throw NumericsError.invalidInput(
                "solveSymmetricPositiveDefinite: order \(n) with \(a.count) matrix and \(b.count) right-hand-side entries")
        }
        if n == 0 { return }
        // Row-major upper triangle = column-major lower triangle.
        var uplo = CChar(UInt8(ascii: "L"))
        var order = blas(n), lda = blas(n), ldb = blas(n), nrhs: blasint = 1, info: blasint = 0
        a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                dposv_(&uplo, &order, &nrhs, ap.baseAddress, &lda, bp.baseAddress, &ldb, &info)
            }
        }
        if info > 0 { throw NumericsError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw NumericsError.invalidInput("dposv rejected argument \(-info)") }
    }

    /// The upper triangle (row-major, i ≤ j) of XᵀX, added to `into` scaled
    /// by `alpha`: C ← alpha·XᵀX + beta·C (`syrk`, in double or, at twice
    /// the speed, single precision). The strictly lower triangle of C is
    /// left untouched.
    static func accumulateGram<Scalar: GramScalar>(
        _ x: UnsafeBufferPointer<Scalar>, rows: Int, cols: Int,
        alpha: Scalar = 1, beta: Scalar, into c: UnsafeMutableBufferPointer<Scalar>
    ) {
        checkShape(x, rows: rows, cols: cols)
        precondition(c.count == cols * cols)
        if cols == 0 { return }
        if rows == 0 {
            // syrk with K = 0 still applies beta, but reads no X; keep it explicit.
            for i in 0..<cols { for j in i..<cols { c[i * cols + j] *= beta } }
            return
        }
        Scalar.syrkUpper(order: blas(cols), rows: blas(rows), alpha: alpha, x: x.baseAddress!, beta: beta,
                         c: c.baseAddress!)
    }

    static func checkShape<Element>(_ x: UnsafeBufferPointer<Element>, rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix dimension \(rows)×\(cols)")
        precondition(x.count == rows * cols, "matrix buffer has \(x.count) entries, expected \(rows)×\(cols)")
    }

    /// BLAS indices are 32-bit in this OpenBLAS build.
    static func blas(_ n: Int) -> blasint {
        guard let v = blasint(exactly: n) else {
            preconditionFailure("dimension \(n) exceeds the BLAS integer range")
        }
        return v
    }
}

/// A precision XᵀX can be built in: its BLAS `syrk` on row-major data
/// (upper triangle, C ← alpha·XᵀX + beta·C).
protocol GramScalar: BinaryFloatingPoint {
    static func syrkUpper(order: blasint, rows: blasint, alpha: Self, x: UnsafePointer<Self>, beta: Self,
                          c: UnsafeMutablePointer<Self>)
}

extension Float: GramScalar {
    static func syrkUpper(order: blasint, rows: blasint, alpha: Float, x: UnsafePointer<Float>, beta: Float,
                          c: UnsafeMutablePointer<Float>) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, order, rows, alpha, x, order, beta, c, order)
    }
}

extension Double: GramScalar {
    static func syrkUpper(order: blasint, rows: blasint, alpha: Double, x: UnsafePointer<Double>, beta: Double,
                          c: UnsafeMutablePointer<Double>) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, order, rows, alpha, x, order, beta, c, order)
    }
}
