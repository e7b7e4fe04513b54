import AssayTestSupport
import Foundation
import Numerics
import XCTest

final class SymmetricEigenvaluesTests: XCTestCase {
    /// Random symmetric 5×5 matrices with entries in [−10, 10].
    private func matrices(_ count: Int, seed: UInt64) -> [[Double]] {
        var rng = RandomStream(seed: seed, keys: stableHash("eigen-test"))
        return (0..<count).map { _ in
            var a = [Double](repeating: 0, count: 25)
            for i in 0..<5 {
                for j in i..<5 {
                    a[i * 5 + j] = 20 * rng.uniform() - 10
                    a[j * 5 + i] = a[i * 5 + j]
                }
            }
            return a
        }
    }

    private func eigenvalues(_ a: [Double]) throws -> [Double] {
        let solver = try SymmetricEigenvalueSolver(order: 5)
        var w = [Double](repeating: 0, count: 5)
        try a.withUnsafeBufferPointer { a in try w.withUnsafeMutableBufferPointer { try solver.eigenvalues(of: a, into: $0) } }
        return w
    }

    /// det by Gaussian elimination with partial pivoting: shares no code with LAPACK.
    private func determinant(_ matrix: [Double], order n: Int) -> Double {
        var a = matrix, det = 1.0
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }!
            if pivot != column {
                for j in 0..<n { a.swapAt(pivot * n + j, column * n + j) }
                det = -det
            }
            det *= a[column * n + column]
            guard a[column * n + column] != 0 else { return 0 }
            for i in (column + 1)..<n {
                let factor = a[i * n + column] / a[column * n + column]
                for j in column..<n { a[i * n + j] -= factor * a[column * n + j] }
            }
        }
        return det
    }

    func testTraceDeterminantAndFrobeniusNormOfRandomMatrices() throws {
        for a in matrices(200, seed: 1) {
            let w = try eigenvalues(a)
            XCTAssertEqual(w, w.sorted(), "eigenvalues must come ascending")
            let trace = (0..<5).reduce(0.0) { $0 + a[$1 * 6] }
            XCTAssertEqual(w.reduce(0, +), trace, accuracy: 1e-10)
            let det = determinant(a, order: 5)
            XCTAssertEqual(w.reduce(1, *), det, accuracy: 1e-9 * max(1, abs(det)))
            // Σλ² = ‖A‖²_F for a symmetric matrix.
            XCTAssertEqual(w.reduce(0) { $0 + $1 * $1 }, a.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-9)
        }
    }

    func testKnownSpectra() throws {
        // diag(3, −1, 2, 0, 7) → sorted diagonal.
        var diagonal = [Double](repeating: 0, count: 25)
        for (i, v) in [3.0, -1, 2, 0, 7].enumerated() { diagonal[i * 6] = v }
        XCTAssertEqual(try eigenvalues(diagonal), [-1, 0, 2, 3, 7])
        // 2 on the diagonal, 1 everywhere else: J + I has eigenvalues 1 (four times) and 6.
        let ones = (0..<25).map { $0 % 6 == 0 ? 2.0 : 1.0 }
        let w = try eigenvalues(ones)
        for (value, expected) in zip(w, [1.0, 1, 1, 1, 6]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
    }

    func testOnlyTheUpperTriangleIsRead() throws {
        var a = matrices(1, seed: 2)[0]
        let reference = try eigenvalues(a)
        for i in 1..<5 { for j in 0..<i { a[i * 5 + j] = .nan } }
        XCTAssertEqual(try eigenvalues(a), reference)
    }

    func testAgreesWithNumpyEigvalsh() throws {
        let sample = matrices(50, seed: 3)
        var input = "\(sample.count) 5\n"
        for a in sample { input += a.map { String($0) }.joined(separator: " ") + "\n" }
        let output = try pythonReference("reference_eigvalsh.py", input: input)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let reference = try XCTUnwrap(document["eigenvalues"] as? [[Double]])
        XCTAssertEqual(reference.count, sample.count)
        for (a, expected) in zip(sample, reference) {
            for (value, wanted) in zip(try eigenvalues(a), expected) {
                XCTAssertEqual(value, wanted, accuracy: 1e-10)
            }
        }
    }

    func testRejectsWrongShapes() throws {
        XCTAssertThrowsError(try SymmetricEigenvalueSolver(order: 0))
        let solver = try SymmetricEigenvalueSolver(order: 5)
        var w = [Double](repeating: 0, count: 4)
        let a = [Double](repeating: 0, count: 25)
        XCTAssertThrowsError(try a.withUnsafeBufferPointer { a in try w.withUnsafeMutableBufferPointer { try solver.eigenvalues(of: a, into: $0) } })
    }
}
