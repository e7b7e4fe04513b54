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
import Dispatch

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
/// with a backtracking line search on L; the Hessian is rebuilt only when
/// the one in hand stops contracting the gradient fast (see `solve`). Large
/// fits split their passes over X into fixed row parts run concurrently
/// (see `partition`): the result is the same for any number of threads.
/// Stops when ‖∇L‖₂ ≤
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
    // A warm start for a large fit: the same problem on its first rows.
    //
    // From w = 0, Newton spends several damped steps, each with a fresh
    // Hessian, reaching the region where it converges fast; on pairs a
    // verifier selected, which are close to separable, that is most of the
    // steps. The first rows' optimum lies within sampling error of the full
    // one, so starting there leaves a few steps at full size, at the price
    // of a fit 1/`warmStartFraction` the size. (If the first rows are
    // unrepresentative, the start is merely worse: the full fit still runs
    // to the same tolerance.) Deterministic: it depends on the data alone.
    if rows >= LogisticProblem.warmStartRows {
        let head = rows / LogisticProblem.warmStartFraction
        if let start = try? ridgeLogisticRegression(
            x: UnsafeBufferPointer(rebasing: x[0..<(head * cols)]), rows: head, cols: cols,
            labels: UnsafeBufferPointer(rebasing: labels[0..<head]), lambda: lambda,
            gradientTolerance: max(gradientTolerance, LogisticProblem.warmStartTolerance), maxIterations: maxIterations) {
            problem.start(from: start.weights)
        }
    }
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
    /// Fixed row ranges that every pass over X is split into; see `partition`.
    let parts: [Range<Int>]

    var w: [Double]
    /// X·w, kept up to date so a trial step costs O(N), not a matrix pass.
    var margin: [Double]
    var gradient: [Double]

    init(x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, labels: UnsafeBufferPointer<Double>, lambda: Double) {
        self.x = x; self.rows = rows; self.cols = cols; self.labels = labels; self.lambda = lambda
        invN = 1 / Double(rows)
        parts = LogisticProblem.partition(rows: rows)
        w = [Double](repeating: 0, count: cols)
        margin = [Double](repeating: 0, count: rows)
        gradient = [Double](repeating: 0, count: cols)
    }

    /// Fits of at least this many rows start from the fit of their first
    /// rows / `warmStartFraction` rows, solved to `warmStartTolerance`.
    static let warmStartRows = 32_768
    static let warmStartFraction = 16
    static let warmStartTolerance = 1e-6

    /// Starts the iteration from `weights` instead of 0.
    mutating func start(from weights: [Double]) {
        w = weights
        var start = [Double](repeating: 0, count: rows)
        weights.withUnsafeBufferPointer { p in
            start.withUnsafeMutableBufferPointer { m in
                forEachPart { part in
                    let range = parts[part]
                    LinearAlgebra.multiply(rowsOf: range, p, into: UnsafeMutableBufferPointer(rebasing: m[range]), x: x,
                                           cols: cols)
                }
            }
        }
        margin = start
    }

    /// Rows per part, at least; smaller fits are one part and run on the
    /// calling thread (they are cheap, and the host runs several at once).
    static let minimumPartRows = 16_384
    /// At most this many parts, so that a part's share of the final sums
    /// stays a small cost next to its share of the Hessian.
    static let maximumParts = 4

    /// Splits 0..<rows into equal contiguous parts, by the row count alone.
    ///
    /// Each part's sums (loss, gradient, Hessian) are accumulated separately
    /// and then added in part order, so the result depends on `rows` and
    /// not on how many threads ran the parts: bit-identical for any thread
    /// count, while a large fit still uses every core.
    static func partition(rows: Int) -> [Range<Int>] {
        let count = max(1, min(maximumParts, rows / minimumPartRows))
        return (0..<count).map { part in (part * rows / count)..<((part + 1) * rows / count) }
    }

    /// Runs `body` on every part, concurrently when there are several.
    func forEachPart(_ body: (Int) -> Void) {
        if parts.count == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts.count, execute: body) }
    }

    /// Damped Newton with a lazily refreshed Hessian.
    ///
    /// A Hessian costs ~N·d²/2 multiply-adds, 10–20× a gradient, so it is
    /// rebuilt only when the one in hand stops paying: after a step with
    /// the current H the gradient norm must shrink at least `reuseContraction`
    /// fold for H to be kept for the next step. Near the optimum H changes
    /// little between steps and each step with the old H contracts the
    /// gradient by ‖I − H_old⁻¹H‖ ≪ 1 at the cost of two passes over X;
    /// far from it, or when that contraction is poor, the step is a full
    /// Newton step as before. Every step solves a positive-definite system
    /// (H ≥ λI), so it is a descent direction and the line search applies
    /// unchanged; the stopping test is the same ‖∇L‖ ≤ tolerance.
    mutating func solve(tolerance: Double, maxIterations: Int) throws -> LogisticFit {
        var residual = [Double](repeating: 0, count: rows)   // y·σ(−m), then −∂ℓ/∂z
        var curvature = [Double](repeating: 0, count: rows)  // σ(m)σ(−m)
        var direction = [Double](repeating: 0, count: rows)  // X·p
        var hessian: [Double]? = nil                         // upper triangle of the H in use
        var previousNorm = Double.infinity
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

            if hessian == nil || !(gradientNorm <= LogisticProblem.reuseContraction * previousNorm) {
                hessian = hessianUpper(curvature: curvature)
            }
            previousNorm = gradientNorm
            // dposv overwrites its matrix with the factor; refactoring a d×d
            // copy (d³/3) is negligible next to building H (N·d²/2).
            var factor = hessian!
            var step = gradient.map { -$0 }
            try LinearAlgebra.solveSymmetricPositiveDefinite(&factor, &step, order: cols)
            step.withUnsafeBufferPointer { p in
                direction.withUnsafeMutableBufferPointer { d in
                    forEachPart { part in
                        let range = parts[part]
                        LinearAlgebra.multiply(rowsOf: range, p, into: UnsafeMutableBufferPointer(rebasing: d[range]), x: x,
                                               cols: cols)
                    }
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

    /// How much a step must shrink ‖∇L‖ for its Hessian to be used again.
    static let reuseContraction = 0.1

    /// L(w), and ∇L into `gradient`; fills the per-row pieces the Hessian needs.
    mutating func evaluate(residual: inout [Double], curvature: inout [Double]) -> Double {
        let cols = self.cols
        var partialLoss = [Double](repeating: 0, count: parts.count)
        var partialGradient = [Double](repeating: 0, count: parts.count * cols)
        residual.withUnsafeMutableBufferPointer { r in
            curvature.withUnsafeMutableBufferPointer { c in
                margin.withUnsafeBufferPointer { margin in
                    partialLoss.withUnsafeMutableBufferPointer { partialLoss in
                        partialGradient.withUnsafeMutableBufferPointer { partialGradient in
                            forEachPart { part in
                                let range = parts[part]
                                var sum = BlockedSum()
                                for i in range {
                                    let y = labels[i]
                                    let m = y * margin[i]
                                    let e = exp(-abs(m))
                                    let onePlus = 1 + e
                                    sum.add(marginLoss(m, e))
                                    r[i] = y * (m >= 0 ? e / onePlus : 1 / onePlus)
                                    c[i] = e / (onePlus * onePlus)
                                }
                                partialLoss[part] = sum.total
                                LinearAlgebra.multiplyTransposed(
                                    rowsOf: range, UnsafeBufferPointer(rebasing: r[range]),
                                    into: UnsafeMutableBufferPointer(rebasing: partialGradient[(part * cols)..<((part + 1) * cols)]),
                                    x: x, cols: cols)
                            }
                        }
                    }
                }
            }
        }
        // Parts are added in order: the same sums whatever ran them.
        var total = 0.0
        for part in parts.indices { total += partialLoss[part] }
        var normSquared = 0.0
        for j in 0..<cols {
            var g = 0.0
            for part in parts.indices { g += partialGradient[part * cols + j] }
            gradient[j] = -invN * g + lambda * w[j]
            normSquared += w[j] * w[j]
        }
        return invN * total + 0.5 * lambda * normSquared
    }

    /// Rows of √D-scaled X per `dsyrk`: a block and the rows it is copied
    /// from stay in L2 while the block is scaled and multiplied.
    static let hessianBlockBytes = 256 * 1024

    /// Upper triangle (row-major) of XᵀDX/N + λI: each part accumulates its
    /// rows block by block into its own matrix, then the parts are added in
    /// order (see `partition`).
    func hessianUpper(curvature: [Double]) -> [Double] {
        let cols = self.cols, invN = self.invN
        let blockRows = max(1, min(rows, LogisticProblem.hessianBlockBytes / (8 * cols)))
        var partial = [Double](repeating: 0, count: parts.count * cols * cols)
        var scratch = [Double](repeating: 0, count: parts.count * blockRows * cols)
        curvature.withUnsafeBufferPointer { curvature in
            partial.withUnsafeMutableBufferPointer { partial in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let xBase = x.baseAddress!
                    forEachPart { part in
                        let h = UnsafeMutableBufferPointer(rebasing: partial[(part * cols * cols)..<((part + 1) * cols * cols)])
                        let s = scratch.baseAddress! + part * blockRows * cols
                        let range = parts[part]
                        var start = range.lowerBound
                        while start < range.upperBound {
                            let count = min(blockRows, range.upperBound - start)
                            // Through row pointers: no overflow-checked index
                            // arithmetic in the inner loop, which vectorises.
                            for r in 0..<count {
                                let factor = (curvature[start + r] * invN).squareRoot()
                                let source = xBase + (start + r) * cols, target = s + r * cols
                                for j in 0..<cols { target[j] = factor * source[j] }
                            }
                            LinearAlgebra.accumulateGram(UnsafeBufferPointer(start: s, count: count * cols), rows: count,
                                                         cols: cols, beta: start == range.lowerBound ? 0 : 1, into: h)
                            start += count
                        }
                    }
                }
            }
        }
        var h = [Double](repeating: 0, count: cols * cols)
        for i in 0..<cols {
            for j in i..<cols {
                var sum = 0.0
                for part in parts.indices { sum += partial[part * cols * cols + i * cols + j] }
                h[i * cols + j] = sum
            }
            h[i * cols + i] += lambda
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
        var partialLoss = [Double](repeating: 0, count: parts.count)
        margin.withUnsafeBufferPointer { margin in
            direction.withUnsafeBufferPointer { direction in
                partialLoss.withUnsafeMutableBufferPointer { partialLoss in
                    forEachPart { part in
                        var sum = BlockedSum()
                        for i in parts[part] {
                            let m = labels[i] * (margin[i] + t * direction[i])
                            sum.add(marginLoss(m, exp(-abs(m))))
                        }
                        partialLoss[part] = sum.total
                    }
                }
            }
        }
        var total = 0.0
        for part in parts.indices { total += partialLoss[part] }
        var normSquared = 0.0
        for j in 0..<cols {
            let v = w[j] + t * step[j]
            normSquared += v * v
        }
        return invN * total + 0.5 * lambda * normSquared
    }
}

private extension LinearAlgebra {
    /// out = X[range]·p for a contiguous range of X's rows.
    static func multiply(rowsOf range: Range<Int>, _ p: UnsafeBufferPointer<Double>,
                         into out: UnsafeMutableBufferPointer<Double>, x: UnsafeBufferPointer<Double>, cols: Int) {
        multiply(UnsafeBufferPointer(rebasing: x[(range.lowerBound * cols)..<(range.upperBound * cols)]),
                 rows: range.count, cols: cols, by: p, into: out)
    }

    /// out = X[range]ᵀ·v for a contiguous range of X's rows.
    static func multiplyTransposed(rowsOf range: Range<Int>, _ v: UnsafeBufferPointer<Double>,
                                   into out: UnsafeMutableBufferPointer<Double>, x: UnsafeBufferPointer<Double>, cols: Int) {
        multiplyTransposed(UnsafeBufferPointer(rebasing: x[(range.lowerBound * cols)..<(range.upperBound * cols)]),
                           rows: range.count, cols: cols, by: v, into: out)
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
