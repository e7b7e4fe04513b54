import Numerics
import XCTest

/// The C vector loops (Sources/SIMDKernels/vector_kernels.c): hand-computed
/// cases, the plain Swift expression they replace, and the same bits from
/// every compiled variant the CPU runs.
final class VectorKernelsTests: XCTestCase {
    private let variants = SIMDVariant.allCases.filter(\.isAvailable)

    func testBestVariantRunsHere() {
        XCTAssertTrue(variants.contains(.baseline))
        XCTAssertTrue(variants.contains(SIMDVariant.best))
    }

    func testAllFiniteFindsEveryNonFiniteValueWherever() {
        // 8-wide body plus a tail: every position of 19 values is tried.
        for variant in variants {
            let clean = (0..<19).map { Double($0) - 9.5 } + [.greatestFiniteMagnitude, -.leastNonzeroMagnitude]
            XCTAssertTrue(clean.withUnsafeBufferPointer { allFinite($0, variant: variant) }, "\(variant)")
            XCTAssertTrue([Double]().withUnsafeBufferPointer { allFinite($0, variant: variant) })
            for bad in [Double.nan, .infinity, -.infinity, -Double.nan, Double(bitPattern: 0x7FF0_0000_0000_0001)] {
                for position in clean.indices {
                    var values = clean
                    values[position] = bad
                    XCTAssertFalse(values.withUnsafeBufferPointer { allFinite($0, variant: variant) },
                                   "\(variant): \(bad) at \(position)")
                }
            }
        }
    }

    func testScaleAddRowsIsTheTwoRoundingExpression() {
        // 3 rows of 11 columns: the 8-wide body and a tail of 3.
        let (rows, cols) = (3, 11)
        let x0 = (0..<(rows * cols)).map { 0.1 * Double($0) - 1.3 }
        let v = (0..<cols).map { 1.0 / Double($0 + 3) }
        let coefficients = [0.15, -0.15, 2.5]
        let scale = 1 / 7.0.squareRoot()
        var expected = x0
        for i in 0..<rows {
            for j in 0..<cols { expected[i * cols + j] = x0[i * cols + j] * scale + coefficients[i] * v[j] }
        }
        // A hand-computed element: row 1, column 0.
        XCTAssertEqual(expected[cols], (0.1 * 11 - 1.3) * scale - 0.15 / 3, accuracy: 1e-15)
        for variant in variants {
            var x = x0
            x.withUnsafeMutableBufferPointer { x in
                coefficients.withUnsafeBufferPointer { c in
                    v.withUnsafeBufferPointer { scaleAddRows(x, scale: scale, coefficients: c, v: $0, variant: variant) }
                }
            }
            XCTAssertEqual(x.map(\.bitPattern), expected.map(\.bitPattern), "\(variant)")
        }
    }

    func testKeepSumsByHandAndInTheirFixedOrder() {
        // Hand-computed: s = 1, 0, 0.25, 0.5 with q = 1, 1, 0, 1.
        for variant in variants {
            let sums = [1, 0, 0.25, 0.5].withUnsafeBufferPointer { s in
                [UInt8]([1, 1, 0, 1]).withUnsafeBufferPointer { keepSums(similarity: s, keep: $0, variant: variant) }
            }
            XCTAssertEqual(sums.kept, 3)
            XCTAssertEqual(sums.good, 1.75)
            XCTAssertEqual(sums.goodKept, 1.5)      // 1 + 0 + 0.5
            XCTAssertEqual(sums.badKept, 1.5)       // 0 + 1 + 0.5
        }

        // 8 k + 5 rows of uneven similarities: the documented order, row i to
        // partial sum i mod 8 and the eight added pairwise, bit for bit.
        let rows = 8 * 40 + 5
        let s = (0..<rows).map { Double(($0 * 7919) % 1000) / 999 }
        let keep = (0..<rows).map { UInt8(($0 * 31) % 3 == 0 ? 1 : ($0 % 11 == 0 ? 2 : 0)) }   // 2 is not "kept"
        func reference(_ keep: [UInt8]?) -> (Int, Double, Double, Double) {
            var partial = [[Double]](repeating: [0, 0, 0], count: 8)
            var kept = 0
            for i in 0..<rows {
                let q: Double = (keep?[i] ?? 1) == 1 ? 1 : 0
                kept += Int(q)
                partial[i % 8][0] += s[i]
                partial[i % 8][1] += q * s[i]
                partial[i % 8][2] += q * (1 - s[i])
            }
            func pairwise(_ k: Int) -> Double {
                ((partial[0][k] + partial[1][k]) + (partial[2][k] + partial[3][k]))
                    + ((partial[4][k] + partial[5][k]) + (partial[6][k] + partial[7][k]))
            }
            return (kept, pairwise(0), pairwise(1), pairwise(2))
        }
        for variant in variants {
            for keepBits in [keep, nil] {
                let sums = s.withUnsafeBufferPointer { s in
                    keepBits.map { k in k.withUnsafeBufferPointer { keepSums(similarity: s, keep: $0, variant: variant) } }
                        ?? keepSums(similarity: s, keep: nil, variant: variant)
                }
                let expected = reference(keepBits)
                XCTAssertEqual(sums.kept, expected.0)
                XCTAssertEqual(sums.good.bitPattern, expected.1.bitPattern, "\(variant)")
                XCTAssertEqual(sums.goodKept.bitPattern, expected.2.bitPattern, "\(variant)")
                XCTAssertEqual(sums.badKept.bitPattern, expected.3.bitPattern, "\(variant)")
            }
        }
    }
}
