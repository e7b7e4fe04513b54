// Ridge-regularised logistic regression by damped Newton.
//
// With λ > 0 the objective is strictly convex and its Hessian is at least
// λI, so each Newton system is positive definite and Cholesky always
// applies; the line search only guards the first few steps, when the
// quadratic model can overshoot.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS

/// log σ(z) computed stably (= −log(1+e^{−z}))
@inlinable
public func logSigmoid(_ z: Double) -> Double {
    // Only ever exponentiate a non-positive number: no overflow, and log1p
    // keeps full precision when e^{−|z|} is tiny.
    z >= 0 ? -log1p(exp(-z)) : z - log1p(exp(z))
}

/// σ(z) = 1 / (1 + e^{−z}), without overflow for large |z|.
@inlinable
public func sigmoid(_ z: Double) -> Double {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}

public struct LogisticFit: Sendable {
    public var weights: [Double]
    /// Newton steps taken.
    public var iterations: Int
    /// ‖∇L‖₂ at `weights`.
    public var gradientNorm: Double

    public init(weights: [Double], iterations: Int, gradientNorm: Double) {
        self.weights = weights
        self.iterations = iterations
        self.gradientNorm = gradientNorm
    }
}

/// Ridge-regularised logistic regression without intercept, labels in {−1, +1}:
/// minimises L(w) = (1/N) Σ_i ℓ(σ(x_iᵀw), y_i) + (λ/2)‖w‖²  with ℓ the binary cross-entropy, N = rows.
///
/// Newton's method (Hessian XᵀDX/N + λI, built by `dsyrk` on √D-scaled rows
/// in cache-sized chunks so that X is never copied whole; solved by `dposv`)
/// with a backtracking line search on L. Stops when ‖∇L‖₂ ≤
/// `gradientTolerance`; throws `didNotConverge` after `maxIterations` Newton
/// steps, `invalidInput` for λ ≤ 0 (or not finite), rows == 0, labels other
/// than ±1 or a shape mismatch. X is rows×cols row-major; starts from w = 0.
public func ridgeLogisticRegression(
    x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, labels: UnsafeBufferPointer<Double>,
    lambda: Double, gradientTolerance: Double = 1e-8, maxIterations: Int = 100
) throws -> LogisticFit {
    guard lambda > 0, lambda.isFinite else {
        throw NumericsError.invalidInput("ridgeLogisticRegression needs a finite λ > 0, got \(lambda)")
    }
    guard rows > 0, cols >= 0, x.count == rows * cols, labels.count == rows else {
        throw NumericsError.invalidInput(
            "ridgeLogisticRegression: \(rows)×\(cols) with \(x.count) x entries and \(labels.count) labels")
    }
    for (i, y) in labels.enumerated() where y != 1 && y != -1 {
        throw NumericsError.invalidInput("ridgeLogisticRegression: label \(i) is \(y), expected −1 or +1")
    }
    guard maxIterations >= 0 else {
        throw NumericsError.invalidInput("ridgeLogisticRegression: maxIterations \(maxIterations) < 0")
    }
    if cols == 0 { return LogisticFit(weights: [], iterations: 0, gradientNorm: 0) }

    var problem = LogisticProblem(x: x, rows: rows, cols: cols, labels: labels, lambda: lambda)
    return try problem.solve(tolerance: gradientTolerance, maxIterations: maxIterations)
}

/// Loss ℓ(m) = log(1 + e^{−m}) of a signed margin m = y·xᵀw, with
/// e = e^{−|m|} shared by the caller's other uses of it.
@inline(__always)
private func marginLoss(_ m: Double, _ e: Double) -> Double {
    log1p(e) + (m < 0 ? -m : 0)
}

private struct LogisticProblem {
    let x: UnsafeBufferPointer<Double>
    let rows: Int, cols: Int
    let labels: UnsafeBufferPointer<Double>
    let lambda: Double
    let invN: Double

    var w: [Double]
    /// X·w, kept up to date so a trial step costs O(N), not a matrix pass.
    var margin: [Double]
    var gradient: [Double]

    init(x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, labels: UnsafeBufferPointer<Double>, lambda: Double) {
        self.x = x; self.rows = rows; self.cols = cols; self.labels = labels; self.lambda = lambda
        invN = 1 / Double(rows)
        w = [Double](repeating: 0, count: cols)
        margin = [Double](repeating: 0, count: rows)
        gradient = [Double](repeating: 0, count: cols)
    }

    mutating func solve(tolerance: Double, maxIterations: Int) throws -> LogisticFit {
        var residual = [Double](repeating: 0, count: rows)   // y·σ(−m), then −∂ℓ/∂z
        var curvature = [Double](repeating: 0, count: rows)  // σ(m)σ(−m)
        var direction = [Double](repeating: 0, count: rows)  // X·p
        var iterations = 0
        while true {
            let loss = evaluate(residual: &residual, curvature: &curvature)
            let gradientNorm = cblas_dnrm2(LinearAlgebra.blas(cols), gradient, 1)
            if gradientNorm <= tolerance {
                return LogisticFit(weights: w, iterations: iterations, gradientNorm: gradientNorm)
            }
            if iterations >= maxIterations || !gradientNorm.isFinite {
                throw NumericsError.didNotConverge(iterations: iterations, gradientNorm: gradientNorm)
            }

            var hessian = hessianUpper(curvature: curvature)
            var step = gradient.map { -$0 }
            try LinearAlgebra.solveSymmetricPositiveDefinite(&hessian, &step, order: cols)
            step.withUnsafeBufferPointer { p in
                direction.withUnsafeMutableBufferPointer { d in
                    LinearAlgebra.multiply(x, rows: rows, cols: cols, by: p, into: d)
                }
            }
            // The Newton decrement squared: the model's predicted decrease ×2.
            let decrement = -zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            guard let t = lineSearch(loss: loss, decrement: decrement, step: step, direction: direction) else {
                throw NumericsError.didNotConverge(iterations: iterations, gradientNorm: gradientNorm)
            }
            for j in 0..<cols { w[j] += t * step[j] }
            for i in 0..<rows { margin[i] += t * direction[i] }
            iterations += 1
        }
    }

    /// L(w), and ∇L into `gradient`; fills the per-row pieces the Hessian needs.
    mutating func evaluate(residual: inout [Double], curvature: inout [Double]) -> Double {
        var sum = BlockedSum()
        for i in 0..<rows {
            let y = labels[i]
            let m = y * margin[i]
            let e = exp(-abs(m))
            let onePlus = 1 + e
            sum.add(marginLoss(m, e))
            residual[i] = y * (m >= 0 ? e / onePlus : 1 / onePlus)
            curvature[i] = e / (onePlus * onePlus)
        }
        residual.withUnsafeBufferPointer { r in
            gradient.withUnsafeMutableBufferPointer { g in
                LinearAlgebra.multiplyTransposed(x, rows: rows, cols: cols, by: r, into: g)
            }
        }
        var normSquared = 0.0
        for j in 0..<cols {
            gradient[j] = -invN * gradient[j] + lambda * w[j]
            normSquared += w[j] * w[j]
        }
        return invN * sum.total + 0.5 * lambda * normSquared
    }

    /// Upper triangle (row-major) of XᵀDX/N + λI, accumulated chunk by chunk.
    func hessianUpper(curvature: [Double]) -> [Double] {
        var h = [Double](repeating: 0, count: cols * cols)
        for j in 0..<cols { h[j * cols + j] = lambda }
        let chunkRows = max(1, min(rows, 32_768 / cols))
        var scaled = [Double](repeating: 0, count: chunkRows * cols)
        h.withUnsafeMutableBufferPointer { hp in
            scaled.withUnsafeMutableBufferPointer { s in
                var start = 0
                while start < rows {
                    let count = min(chunkRows, rows - start)
                    for r in 0..<count {
                        let factor = (curvature[start + r] * invN).squareRoot()
                        let src = (start + r) * cols, dst = r * cols
                        for j in 0..<cols { s[dst + j] = factor * x[src + j] }
                    }
                    let chunk = UnsafeBufferPointer(rebasing: s[0..<(count * cols)])
                    LinearAlgebra.accumulateGram(chunk, rows: count, cols: cols, beta: 1, into: hp)
                    start += count
                }
            }
        }
        return h
    }

    /// Backtracking (Armijo) on L along p; returns the step length, or nil
    /// if no length decreases L.
    func lineSearch(loss: Double, decrement: Double, step: [Double], direction: [Double]) -> Double? {
        // Near the optimum the true decrease drops below the rounding noise
        // of L itself and Armijo can fail spuriously; there the full Newton
        // step is in its quadratic-convergence region and is taken as is.
        let noise = 1e-12 * (1 + abs(loss))
        if decrement <= noise { return 1 }
        var t = 1.0
        for _ in 0..<60 {
            if trialLoss(t, step: step, direction: direction) <= loss - 1e-4 * t * decrement { return t }
            t *= 0.5
        }
        return nil
    }

    func trialLoss(_ t: Double, step: [Double], direction: [Double]) -> Double {
        var sum = BlockedSum()
        for i in 0..<rows {
            let m = labels[i] * (margin[i] + t * direction[i])
            sum.add(marginLoss(m, exp(-abs(m))))
        }
        var normSquared = 0.0
        for j in 0..<cols {
            let v = w[j] + t * step[j]
            normSquared += v * v
        }
        return invN * sum.total + 0.5 * lambda * normSquared
    }
}

/// Sums in blocks of 1024 so the rounding error grows with ~N/1024 + 1024
/// terms rather than N: the line search compares losses of close values.
private struct BlockedSum {
    private(set) var outer = 0.0
    private var inner = 0.0
    private var count = 0

    @inline(__always)
    mutating func add(_ v: Double) {
        inner += v
        count += 1
        if count == 1024 { outer += inner; inner = 0; count = 0 }
    }

    var total: Double { outer + inner }
}
