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
/// Newton's method (Hessian XᵀDX/N + λI, built by `ssyrk` or `dsyrk` on
/// √D-scaled rows in cache-sized chunks so that X is never copied whole;
/// solved by `dposv`) with a backtracking line search on L, each trial
/// point costing one pass over X; the Hessian is rebuilt only when
/// the one in hand stops contracting the gradient fast (see `solve`). Large
/// fits split their passes over X into fixed row parts run concurrently
/// (see `partition`) on up to `threads` threads (nil: every core): the
/// result is the same for any number of threads.
/// Stops when ‖∇L‖₂ ≤
/// `gradientTolerance`; throws `didNotConverge` after `maxIterations` Newton
/// steps, `invalidInput` for λ ≤ 0 (or not finite), rows == 0, labels other
/// than ±1 or a shape mismatch. X is rows×cols row-major; starts from w = 0.
public func ridgeLogisticRegression(
    x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, labels: UnsafeBufferPointer<Double>,
    lambda: Double, gradientTolerance: Double = 1e-8, maxIterations: Int = 100, threads: Int? = nil
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

    var problem = LogisticProblem(x: x, rows: rows, cols: cols, labels: labels, lambda: lambda, threads: threads)
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
            gradientTolerance: max(gradientTolerance, LogisticProblem.warmStartTolerance), maxIterations: maxIterations,
            threads: threads) {
            problem.start = start.weights
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

struct LogisticProblem {
    let x: UnsafeBufferPointer<Double>
    let rows: Int, cols: Int
    let labels: UnsafeBufferPointer<Double>
    let lambda: Double
    let invN: Double
    /// Fixed row ranges that every pass over X is split into; see `partition`.
    let parts: [Range<Int>]
    /// Threads that run the parts at most; nil: as many as there are cores.
    let threads: Int?
    /// Where the iteration starts: 0, or a warm start.
    var start: [Double]

    init(x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, labels: UnsafeBufferPointer<Double>, lambda: Double,
         threads: Int?) {
        self.x = x; self.rows = rows; self.cols = cols; self.labels = labels; self.lambda = lambda
        self.threads = threads
        invN = 1 / Double(rows)
        parts = LogisticProblem.partition(rows: rows)
        start = [Double](repeating: 0, count: cols)
    }

    /// Fits of at least this many rows start from the fit of their first
    /// rows / `warmStartFraction` rows, solved to `warmStartTolerance`.
    static let warmStartRows = 32_768
    static let warmStartFraction = 16
    static let warmStartTolerance = 1e-6

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

    /// Runs `body` on every part: concurrently on up to `threads` threads,
    /// or in turn on the calling thread when that is one (or there is one
    /// part). Each part's sums stay its own, so the result is the same.
    func forEachPart(_ body: (Int) -> Void) {
        let workers = min(parts.count, threads ?? parts.count)
        guard workers > 1 else {
            for part in parts.indices { body(part) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for part in stride(from: worker, to: parts.count, by: workers) { body(part) }
        }
    }

    /// The objective at one w, and what a Newton step needs of it.
    struct Point {
        var w: [Double]
        var loss = 0.0
        var gradient: [Double]
        /// Per row: y·σ(−m), then −∂ℓ/∂z, of the margin m = y·xᵀw.
        var residual: [Double]
        /// Per row: σ(m)σ(−m), the Hessian's weights D.
        var curvature: [Double]

        init(rows: Int, cols: Int) {
            w = [Double](repeating: 0, count: cols)
            gradient = [Double](repeating: 0, count: cols)
            residual = [Double](repeating: 0, count: rows)
            curvature = [Double](repeating: 0, count: rows)
        }
    }

    /// Damped Newton with a lazily refreshed Hessian.
    ///
    /// A Hessian costs ~N·d²/2 multiply-adds, 10–20× a gradient, so it is
    /// rebuilt only when the one in hand stops paying: after a step with
    /// the current H the gradient norm must shrink at least `reuseContraction`
    /// fold for H to be kept for the next step. Near the optimum H changes
    /// little between steps and each step with the old H contracts the
    /// gradient by ‖I − H_old⁻¹H‖ ≪ 1 at the cost of one pass over X;
    /// far from it, or when that contraction is poor, the step is a full
    /// Newton step as before. Every step solves a positive-definite system
    /// (H ≥ λI), so it is a descent direction and the line search applies
    /// unchanged; the stopping test is the same ‖∇L‖ ≤ tolerance.
    ///
    /// Each trial point of the line search is evaluated in full (`evaluate`):
    /// the first trial is almost always taken, and its gradient is then the
    /// next step's, so a step costs one pass over X (plus a Hessian).
    func solve(tolerance: Double, maxIterations: Int) throws -> LogisticFit {
        var current = Point(rows: rows, cols: cols), trial = current
        current.w = start
        // The first step always needs H at the start: built in the same
        // pass over X as the gradient (see `evaluate`).
        var hessian: [Double]? = evaluate(&current, withHessian: true)  // upper triangle of the H in use
        var previousNorm = Double.infinity
        var iterations = 0
        while true {
            let gradientNorm = cblas_dnrm2(LinearAlgebra.blas(cols), current.gradient, 1)
            if gradientNorm <= tolerance {
                return LogisticFit(weights: current.w, iterations: iterations, gradientNorm: gradientNorm)
            }
            if iterations >= maxIterations || !gradientNorm.isFinite {
                throw NumericsError.didNotConverge(iterations: iterations, gradientNorm: gradientNorm)
            }

            if hessian == nil || !(gradientNorm <= LogisticProblem.reuseContraction * previousNorm) {
                hessian = hessianUpper(curvature: current.curvature)
            }
            previousNorm = gradientNorm
            // dposv overwrites its matrix with the factor; refactoring a d×d
            // copy (d³/3) is negligible next to building H (N·d²/2).
            var factor = hessian!
            var step = current.gradient.map { -$0 }
            try LinearAlgebra.solveSymmetricPositiveDefinite(&factor, &step, order: cols)
            // The Newton decrement squared: the model's predicted decrease ×2.
            let decrement = -zip(current.gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            guard lineSearch(from: current, decrement: decrement, step: step, trial: &trial) else {
                throw NumericsError.didNotConverge(iterations: iterations, gradientNorm: gradientNorm)
            }
            swap(&current, &trial)
            iterations += 1
        }
    }

    /// How much a step must shrink ‖∇L‖ for its Hessian to be used again.
    static let reuseContraction = 0.1

    /// Backtracking (Armijo) on L along `step`: evaluates `trial` at the
    /// first length that decreases L enough; false if none does.
    func lineSearch(from current: Point, decrement: Double, step: [Double], trial: inout Point) -> Bool {
        // Near the optimum the true decrease drops below the rounding noise
        // of L itself and Armijo can fail spuriously; there the full Newton
        // step is in its quadratic-convergence region and is taken as is.
        let noise = 1e-12 * (1 + abs(current.loss))
        var t = 1.0
        for _ in 0..<60 {
            for j in 0..<cols { trial.w[j] = current.w[j] + t * step[j] }
            evaluate(&trial)
            if decrement <= noise || trial.loss <= current.loss - 1e-4 * t * decrement { return true }
            t *= 0.5
        }
        return false
    }

    /// Rows per block of a pass over X: a block stays in L2 while it is
    /// read a second time (`evaluate`) or scaled and multiplied (`gramUpper`).
    static let blockBytes = 256 * 1024

    /// L, ∇L and the per-row pieces at `point.w`, in one pass over X: each
    /// block of rows gives its margins X·w and, while still in L2, its
    /// share Xᵀr of the gradient, so X is read from memory once.
    ///
    /// With `withHessian`, the pass also builds XᵀDX/N + λI at this point and
    /// returns it: each block of `gramUpper`'s is added as soon as its rows
    /// have their curvature, while they are still in L2, so the Hessian of
    /// the first step costs no pass of its own. The blocks and their order
    /// are `gramUpper`'s, and so are the bits. (When λ is too small for a
    /// single-precision H, the double one is built after, by its own pass.)
    @discardableResult
    func evaluate(_ point: inout Point, withHessian: Bool = false) -> [Double]? {
        let cols = self.cols
        let blockRows = max(1, min(rows, LogisticProblem.blockBytes / (MemoryLayout<Double>.size * cols)))
        let gram = withHessian ? Gram<Float>(self) : nil
        var partialLoss = [Double](repeating: 0, count: parts.count)
        var partialGradient = [Double](repeating: 0, count: parts.count * cols)
        point.w.withUnsafeBufferPointer { w in
            point.residual.withUnsafeMutableBufferPointer { r in
                point.curvature.withUnsafeMutableBufferPointer { c in
                    partialLoss.withUnsafeMutableBufferPointer { partialLoss in
                        partialGradient.withUnsafeMutableBufferPointer { partialGradient in
                            forEachPart { part in
                                let range = parts[part]
                                let g = UnsafeMutableBufferPointer(rebasing: partialGradient[(part * cols)..<((part + 1) * cols)])
                                var sum = BlockedSum()
                                var first = range.lowerBound
                                while first < range.upperBound {
                                    let block = first..<min(first + blockRows, range.upperBound)
                                    // The margins go through r, which then takes the residuals.
                                    LinearAlgebra.multiply(rowsOf: block, w, into: UnsafeMutableBufferPointer(rebasing: r[block]),
                                                           x: x, cols: cols)
                                    for i in block {
                                        let y = labels[i]
                                        let m = y * r[i]
                                        let e = exp(-abs(m))
                                        let onePlus = 1 + e
                                        sum.add(marginLoss(m, e))
                                        r[i] = y * (m >= 0 ? e / onePlus : 1 / onePlus)
                                        c[i] = e / (onePlus * onePlus)
                                    }
                                    LinearAlgebra.multiplyTransposed(rowsOf: block, UnsafeBufferPointer(rebasing: r[block]),
                                                                     into: g, x: x, cols: cols,
                                                                     accumulating: first != range.lowerBound)
                                    first = block.upperBound
                                    gram?.accumulate(part: part, through: first, curvature: UnsafeBufferPointer(c))
                                }
                                partialLoss[part] = sum.total
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
            point.gradient[j] = -invN * g + lambda * point.w[j]
            normSquared += point.w[j] * point.w[j]
        }
        point.loss = invN * total + 0.5 * lambda * normSquared
        return gram.map { hessianUpper(float: $0.upper(), curvature: point.curvature) }
    }

    /// Single precision is used for XᵀDX/N while λ ≥ this × its trace.
    ///
    /// H only chooses the step: the loss, the gradient and so the optimum
    /// and the stopping test stay in double. An error E in H slows a step's
    /// contraction of the gradient by ‖H⁻¹E‖ ≤ ‖E‖/λ. `ssyrk` (twice as fast
    /// as `dsyrk`, and half the bytes to scale) sums each entry over blocks
    /// of rows with relative errors of order 1e-6, so ‖E‖ ≲ 1e-6·trace and
    /// the slowdown stays ≤ 0.1, within `reuseContraction`, as does the
    /// margin that keeps H positive definite. A smaller λ (a near-singular
    /// XᵀDX, as in very weakly regularised fits) gets a double-precision H.
    static let singlePrecisionRatio = 1e-5

    /// Upper triangle (row-major) of XᵀDX/N + λI (see `singlePrecisionRatio`).
    func hessianUpper(curvature: [Double]) -> [Double] {
        hessianUpper(float: gramUpper(Float.self, curvature: curvature), curvature: curvature)
    }

    /// XᵀDX/N + λI from its single-precision build, or from a double one
    /// when λ is too small next to its trace for single precision.
    private func hessianUpper(float: [Double], curvature: [Double]) -> [Double] {
        var h = float
        let trace = (0..<cols).reduce(0.0) { $0 + h[$1 * cols + $1] }
        if !(lambda >= LogisticProblem.singlePrecisionRatio * trace) {
            h = gramUpper(Double.self, curvature: curvature)
        }
        for i in 0..<cols { h[i * cols + i] += lambda }
        return h
    }

    /// Upper triangle (row-major) of XᵀDX/N, built in `Scalar` and summed
    /// in double, in a pass of its own (see `Gram`).
    func gramUpper<Scalar: GramScalar>(_: Scalar.Type, curvature: [Double]) -> [Double] {
        let gram = Gram<Scalar>(self)
        curvature.withUnsafeBufferPointer { curvature in
            forEachPart { part in gram.accumulate(part: part, through: parts[part].upperBound, curvature: curvature) }
        }
        return gram.upper()
    }

    /// XᵀDX/N, accumulated part by part in `Scalar`: each part adds its rows
    /// block by block (rows scaled by √(D/N) into a scratch block, then one
    /// `syrk`) into its own matrix, and the parts are added in order at the
    /// end (see `partition`). The blocks are fixed by the row count, so the
    /// sums are the same whether they come in a pass of their own
    /// (`gramUpper`) or behind `evaluate`'s.
    struct Gram<Scalar: GramScalar> {
        private let problem: LogisticProblem
        private let blockRows: Int
        /// Per part: its matrix, its scratch block, and the rows added so far.
        private let partial: UnsafeMutableBufferPointer<Scalar>
        private let scratch: UnsafeMutableBufferPointer<Scalar>
        private let owner: Storage

        init(_ problem: LogisticProblem) {
            self.problem = problem
            let cols = problem.cols
            blockRows = max(1, min(problem.rows, LogisticProblem.blockBytes / (MemoryLayout<Scalar>.size * cols)))
            owner = Storage(parts: problem.parts, cols: cols, blockRows: blockRows)
            partial = owner.partial
            scratch = owner.scratch
        }

        /// Adds every whole block of `part` that ends at or before row `end`
        /// (and the part's last, short block once `end` reaches the part's
        /// end). Parts may be accumulated concurrently, each by one thread.
        func accumulate(part: Int, through end: Int, curvature: UnsafeBufferPointer<Double>) {
            let cols = problem.cols, invN = problem.invN, range = problem.parts[part]
            let h = UnsafeMutableBufferPointer(rebasing: partial[(part * cols * cols)..<((part + 1) * cols * cols)])
            let s = scratch.baseAddress! + part * blockRows * cols
            let xBase = problem.x.baseAddress!
            var start = owner.done[part]
            while start < range.upperBound {
                let count = min(blockRows, range.upperBound - start)
                guard start + count <= end else { break }
                // Through row pointers: no overflow-checked index arithmetic
                // in the inner loop, which vectorises.
                for r in 0..<count {
                    let factor = (curvature[start + r] * invN).squareRoot()
                    let source = xBase + (start + r) * cols, target = s + r * cols
                    for j in 0..<cols { target[j] = Scalar(factor * source[j]) }
                }
                LinearAlgebra.accumulateGram(UnsafeBufferPointer(start: s, count: count * cols), rows: count,
                                             cols: cols, beta: start == range.lowerBound ? 0 : 1, into: h)
                start += count
            }
            owner.done[part] = start
        }

        /// The upper triangle of the sum of the parts, in double.
        func upper() -> [Double] {
            let cols = problem.cols, count = problem.parts.count
            var h = [Double](repeating: 0, count: cols * cols)
            for i in 0..<cols {
                for j in i..<cols {
                    var sum = 0.0
                    for part in 0..<count { sum += Double(partial[part * cols * cols + i * cols + j]) }
                    h[i * cols + j] = sum
                }
            }
            return h
        }

        /// The buffers, freed with the last copy of the `Gram`. Each part's
        /// entry of `done` is written only by the thread running that part.
        private final class Storage: @unchecked Sendable {
            let partial: UnsafeMutableBufferPointer<Scalar>
            let scratch: UnsafeMutableBufferPointer<Scalar>
            let done: UnsafeMutableBufferPointer<Int>

            init(parts: [Range<Int>], cols: Int, blockRows: Int) {
                partial = .allocate(capacity: parts.count * cols * cols)
                partial.initialize(repeating: 0)
                scratch = .allocate(capacity: parts.count * blockRows * cols)
                done = .allocate(capacity: parts.count)
                _ = done.initialize(from: parts.map(\.lowerBound))
            }

            deinit {
                partial.deallocate()
                scratch.deallocate()
                done.deallocate()
            }
        }
    }
}

private extension LinearAlgebra {
    /// out = X[range]·p for a contiguous range of X's rows.
    static func multiply(rowsOf range: Range<Int>, _ p: UnsafeBufferPointer<Double>,
                         into out: UnsafeMutableBufferPointer<Double>, x: UnsafeBufferPointer<Double>, cols: Int) {
        multiply(UnsafeBufferPointer(rebasing: x[(range.lowerBound * cols)..<(range.upperBound * cols)]),
                 rows: range.count, cols: cols, by: p, into: out)
    }

    /// out = X[range]ᵀ·v (+ out, when `accumulating`) for a contiguous range of X's rows.
    static func multiplyTransposed(rowsOf range: Range<Int>, _ v: UnsafeBufferPointer<Double>,
                                   into out: UnsafeMutableBufferPointer<Double>, x: UnsafeBufferPointer<Double>, cols: Int,
                                   accumulating: Bool) {
        multiplyTransposed(UnsafeBufferPointer(rebasing: x[(range.lowerBound * cols)..<(range.upperBound * cols)]),
                           rows: range.count, cols: cols, by: v, into: out, accumulating: accumulating)
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
