import AssayTestSupport
import Foundation
@testable import Numerics
import XCTest

final class LogisticRegressionTests: XCTestCase {
    private struct Data {
        var x: [Double]
        var y: [Double]
        let rows: Int, cols: Int
    }

    /// Gaussian features; labels drawn from the logistic model at `truth`.
    private func makeData(rows: Int, truth: [Double], seed: UInt64) -> Data {
        let cols = truth.count
        var s = RandomStream(seed: seed, keys: stableHash("logistic-test"))
        var x = [Double](repeating: 0, count: rows * cols)
        x.withUnsafeMutableBufferPointer { s.fillNormal($0) }
        let y = (0..<rows).map { i -> Double in
            let z = (0..<cols).reduce(0.0) { $0 + x[i * cols + $1] * truth[$1] }
            return s.uniform() < sigmoid(z) ? 1 : -1
        }
        return Data(x: x, y: y, rows: rows, cols: cols)
    }

    private func fit(_ d: Data, lambda: Double, threads: Int? = nil) throws -> LogisticFit {
        try d.x.withUnsafeBufferPointer { xp in
            try d.y.withUnsafeBufferPointer {
                try ridgeLogisticRegression(x: xp, rows: d.rows, cols: d.cols, labels: $0, lambda: lambda, threads: threads)
            }
        }
    }

    /// ∇L written out in plain loops, sharing no code with the fit.
    private func gradient(_ d: Data, _ w: [Double], lambda: Double) -> [Double] {
        var g = w.map { lambda * $0 }
        for i in 0..<d.rows {
            var z = 0.0
            for j in 0..<d.cols { z += d.x[i * d.cols + j] * w[j] }
            // d/dz log(1 + e^{−yz}) = −y / (1 + e^{yz})
            let factor = -d.y[i] / (1 + exp(d.y[i] * z)) / Double(d.rows)
            for j in 0..<d.cols { g[j] += factor * d.x[i * d.cols + j] }
        }
        return g
    }

    func testGradientVanishesAtFit() throws {
        let d = makeData(rows: 500, truth: [1, -2, 0.5, 0, 3], seed: 1)
        let lambda = 0.01
        let result = try fit(d, lambda: lambda)
        XCTAssertLessThanOrEqual(result.gradientNorm, 1e-8)
        XCTAssertGreaterThan(result.iterations, 0)
        let g = gradient(d, result.weights, lambda: lambda)
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertLessThanOrEqual(norm, 1e-8, "independent gradient norm \(norm)")
    }

    func testSeparableDataConvergesThanksToRidge() throws {
        // Labels = sign of the first feature: unregularised, ‖w‖ → ∞.
        var d = makeData(rows: 200, truth: [1, 0, 0], seed: 2)
        for i in 0..<d.rows { d.y[i] = d.x[i * d.cols] > 0 ? 1 : -1 }
        let result = try fit(d, lambda: 1e-4)
        XCTAssertLessThanOrEqual(result.gradientNorm, 1e-8)
        XCTAssertGreaterThan(result.weights[0], 5)
        let g = gradient(d, result.weights, lambda: 1e-4)
        XCTAssertLessThanOrEqual(g.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-8)
    }

    func testLargeFitRunsInPartsAndRepeatsExactly() throws {
        // Enough rows for the fit to split its passes over X into parts run
        // concurrently; the parts are fixed by the row count, so two fits
        // give the same bits however the threads were scheduled.
        let d = makeData(rows: 40_000, truth: [0.5, -1, 0.25, 0, 1.5, -0.5], seed: 6)
        let lambda = 1e-4
        let first = try fit(d, lambda: lambda)
        let second = try fit(d, lambda: lambda)
        XCTAssertEqual(first.weights, second.weights)
        XCTAssertLessThanOrEqual(first.gradientNorm, 1e-8)
        let g = gradient(d, first.weights, lambda: lambda)
        XCTAssertLessThanOrEqual(g.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-8)
    }

    func testThreadLimitKeepsTheAnswer() throws {
        // Four parts (70,000 rows): run on one thread, on two, and on as
        // many as there are cores, the sums are the same bits.
        let d = makeData(rows: 70_000, truth: [0.5, -1, 0.25, 0, 1.5, -0.5], seed: 7)
        let everyCore = try fit(d, lambda: 1e-4)
        XCTAssertEqual(try fit(d, lambda: 1e-4, threads: 1).weights, everyCore.weights)
        XCTAssertEqual(try fit(d, lambda: 1e-4, threads: 2).weights, everyCore.weights)
    }

    func testOneThreadRunsEveryPartOnTheCaller() {
        // With a limit of one thread the parts run in turn on the calling
        // thread (`assay run --threads 1`); without one they may not.
        let rows = 70_000, cols = 2
        let x = [Double](repeating: 1, count: rows * cols), y = [Double](repeating: 1, count: rows)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                let problem = LogisticProblem(x: x, rows: rows, cols: cols, labels: y, lambda: 1, threads: 1)
                XCTAssertEqual(problem.parts.count, 4)
                let caller = pthread_self()
                var onCaller = [Bool](repeating: false, count: problem.parts.count)
                problem.forEachPart { part in onCaller[part] = pthread_equal(pthread_self(), caller) != 0 }
                XCTAssertEqual(onCaller, [true, true, true, true])
            }
        }
    }

    func testHessianBuiltInTheGradientPassIsTheSeparateOne() {
        // Four parts, each ending in a short block: the Hessian `evaluate`
        // builds behind its own blocks has the bits of `hessianUpper`'s
        // separate pass, on one thread and on two, in single precision and
        // (λ tiny next to the trace) in double.
        let d = makeData(rows: 70_003, truth: [0.5, -1, 0.25, 0, 1.5, -0.5, 2], seed: 9)
        d.x.withUnsafeBufferPointer { x in
            d.y.withUnsafeBufferPointer { y in
                for lambda in [1e-3, 1e-9] {
                    for threads in [1, 2] {
                        var problem = LogisticProblem(x: x, rows: d.rows, cols: d.cols, labels: y, lambda: lambda,
                                                      threads: threads)
                        problem.start = (0..<d.cols).map { 0.1 * Double($0) - 0.2 }
                        XCTAssertEqual(problem.parts.count, 4)
                        var point = LogisticProblem.Point(rows: d.rows, cols: d.cols)
                        point.w = problem.start
                        let fused = problem.evaluate(&point, withHessian: true)
                        let separate = problem.hessianUpper(curvature: point.curvature)
                        XCTAssertEqual(fused?.map(\.bitPattern), separate.map(\.bitPattern), "λ \(lambda), \(threads) threads")
                        // And it is XᵀDX/N + λI: one entry by hand.
                        var h01 = 0.0
                        for i in 0..<d.rows { h01 += point.curvature[i] * d.x[i * d.cols] * d.x[i * d.cols + 1] }
                        XCTAssertEqual(separate[1], h01 / Double(d.rows), accuracy: 1e-5 * abs(h01 / Double(d.rows)) + 1e-9)
                    }
                }
            }
        }
    }

    func testRejectsInvalidInput() {
        let d = makeData(rows: 20, truth: [1, 1], seed: 3)
        for lambda in [0.0, -1.0, .nan] {
            XCTAssertThrowsError(try fit(d, lambda: lambda)) {
                guard case NumericsError.invalidInput = $0 else { return XCTFail("unexpected error \($0)") }
            }
        }
        var zeroOne = d
        zeroOne.y = d.y.map { $0 > 0 ? 1 : 0 }
        XCTAssertThrowsError(try fit(zeroOne, lambda: 0.1)) {
            guard case NumericsError.invalidInput = $0 else { return XCTFail("unexpected error \($0)") }
        }
    }

    func testReportsNonConvergence() {
        let d = makeData(rows: 100, truth: [2, -1], seed: 4)
        XCTAssertThrowsError(try d.x.withUnsafeBufferPointer { xp in
            try d.y.withUnsafeBufferPointer {
                try ridgeLogisticRegression(x: xp, rows: d.rows, cols: d.cols, labels: $0,
                                            lambda: 0.01, maxIterations: 1)
            }
        }) {
            guard case NumericsError.didNotConverge(iterations: 1, _) = $0 else {
                return XCTFail("unexpected error \($0)")
            }
        }
    }

    func testAgreesWithPythonReference() throws {
        let d = makeData(rows: 500, truth: [1, -2, 0.5, 0, 3], seed: 5)
        let lambda = 0.01
        let ours = try fit(d, lambda: lambda).weights

        var text = "\(d.rows) \(d.cols) \(lambda)\n"
        for i in 0..<d.rows {
            let row = (0..<d.cols).map { "\(d.x[i * d.cols + $0])" } + ["\(d.y[i])"]
            text += row.joined(separator: " ") + "\n"
        }
        let stdout = try pythonReference("reference_logistic.py", input: text)

        struct Reference: Decodable { let weights: [Double]; let method: String }
        let reference = try JSONDecoder().decode(Reference.self, from: stdout)
        XCTAssertEqual(reference.weights.count, ours.count)
        let scale = reference.weights.map(abs).max() ?? 1
        for (a, b) in zip(ours, reference.weights) {
            XCTAssertLessThanOrEqual(abs(a - b) / scale, 1e-5,
                                     "ours \(ours) vs \(reference.method) \(reference.weights)")
        }
        print("logistic reference (\(reference.method)): max |Δw| / max |w| = "
              + "\(zip(ours, reference.weights).map { abs($0 - $1) }.max()! / scale); \(stderr)")
    }
}
