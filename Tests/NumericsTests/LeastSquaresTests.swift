import Numerics
import XCTest

final class LeastSquaresTests: XCTestCase {
    func testMultiply() {
        let x: [Double] = [1, 2, 3,
                           4, 5, 6]
        let w: [Double] = [1, 0, -1]
        var out = [Double](repeating: .nan, count: 2)
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer {
                    LinearAlgebra.multiply(xp, rows: 2, cols: 3, by: wp, into: $0)
                }
            }
        }
        XCTAssertEqual(out, [-2, -2])
        var t = [Double](repeating: .nan, count: 3)
        x.withUnsafeBufferPointer { xp in
            [1.0, 2.0].withUnsafeBufferPointer { vp in
                t.withUnsafeMutableBufferPointer {
                    LinearAlgebra.multiplyTransposed(xp, rows: 2, cols: 3, by: vp, into: $0)
                }
            }
        }
        XCTAssertEqual(t, [9, 12, 15])
    }

    func testSolveSymmetricPositiveDefiniteReadsUpperTriangle() throws {
        // [[4, 2], [2, 3]]·v = [2, 1] → v = [0.5, 0]; the lower entry is junk
        // on purpose, since only the upper triangle is documented as read.
        var a: [Double] = [4, 2,
                           -99, 3]
        var b: [Double] = [2, 1]
        try LinearAlgebra.solveSymmetricPositiveDefinite(&a, &b, order: 2)
        XCTAssertEqual(b[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(b[1], 0, accuracy: 1e-15)

        var indefinite: [Double] = [1, 2,
                                    2, 1]
        var rhs: [Double] = [1, 1]
        XCTAssertThrowsError(try LinearAlgebra.solveSymmetricPositiveDefinite(&indefinite, &rhs, order: 2)) {
            guard case NumericsError.notPositiveDefinite(order: 2) = $0 else {
                return XCTFail("unexpected error \($0)")
            }
        }
    }

    func testHandSolvedSystem() throws {
        // X = [[1,0],[0,1],[1,1]], y = [1,2,4]: XᵀX = [[2,1],[1,2]], Xᵀy = [5,6],
        // (XᵀX)⁻¹ = [[2,−1],[−1,2]]/3, so w = [10−6, −5+12]/3 = [4/3, 7/3].
        let x: [Double] = [1, 0,
                           0, 1,
                           1, 1]
        let y: [Double] = [1, 2, 4]
        let w = try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { try ordinaryLeastSquares(x: xp, rows: 3, cols: 2, y: $0) }
        }
        XCTAssertEqual(w[0], 4.0 / 3, accuracy: 1e-14)
        XCTAssertEqual(w[1], 7.0 / 3, accuracy: 1e-14)
    }

    func testRecoversWeightsOnNoiselessData() throws {
        let rows = 300, cols = 6
        let truth: [Double] = [0.5, -1, 2, 3, -0.25, 0]
        var x = [Double](repeating: 0, count: rows * cols)
        var s = RandomStream(seed: 8, keys: 1)
        x.withUnsafeMutableBufferPointer { s.fillNormal($0) }
        let y = (0..<rows).map { i in (0..<cols).reduce(0.0) { $0 + x[i * cols + $1] * truth[$1] } }
        let w = try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { try ordinaryLeastSquares(x: xp, rows: rows, cols: cols, y: $0) }
        }
        for j in 0..<cols { XCTAssertEqual(w[j], truth[j], accuracy: 1e-12) }
    }

    func testRejectsBadShapesAndCollinearColumns() {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        XCTAssertThrowsError(try x.withUnsafeBufferPointer { xp in
            try [1.0, 2.0].withUnsafeBufferPointer { try ordinaryLeastSquares(x: xp, rows: 2, cols: 3, y: $0) }
        }) {
            guard case NumericsError.invalidInput = $0 else { return XCTFail("unexpected error \($0)") }
        }
        // Second column is twice the first; the entries keep the Cholesky
        // arithmetic exact (XᵀX = [[4, 8], [8, 16]], pivot 16 − 4² = 0).
        let collinear: [Double] = [2, 4,
                                   0, 0,
                                   0, 0]
        XCTAssertThrowsError(try collinear.withUnsafeBufferPointer { xp in
            try [1.0, 2.0, 3.0].withUnsafeBufferPointer { try ordinaryLeastSquares(x: xp, rows: 3, cols: 2, y: $0) }
        }) {
            guard case NumericsError.notPositiveDefinite = $0 else { return XCTFail("unexpected error \($0)") }
        }
    }
}
