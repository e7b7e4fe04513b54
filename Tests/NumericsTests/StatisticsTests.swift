import Numerics
import XCTest

final class StatisticsTests: XCTestCase {
    func testNormalCDFKnownValues() {
        XCTAssertEqual(normalCDF(0), 0.5)
        XCTAssertEqual(normalCDF(1.959963984540054), 0.975, accuracy: 1e-15)
        XCTAssertEqual(normalCDF(1), 0.84134474606854294859, accuracy: 1e-15)
        // Lower tail: relative accuracy, where 1 + erf would give noise.
        XCTAssertEqual(normalCDF(-8) / 6.2209605742717841235e-16, 1, accuracy: 1e-13)
        XCTAssertEqual(normalCDF(-37.5) / 4.6053530095819548438e-308, 1, accuracy: 1e-11)
        XCTAssertEqual(normalCDF(.infinity), 1)
        XCTAssertEqual(normalCDF(-.infinity), 0)
    }

    func testNormalQuantileKnownValues() {
        // Reference values from 40-digit mpmath.
        XCTAssertEqual(normalQuantile(0.5), 0)
        XCTAssertEqual(normalQuantile(0.975), 1.9599639845400542355, accuracy: 1e-14)
        XCTAssertEqual(normalQuantile(0.025), -1.9599639845400542355, accuracy: 1e-14)
        XCTAssertEqual(normalQuantile(0.3), -0.52440051270804078404, accuracy: 1e-14)
        XCTAssertEqual(normalQuantile(0.001), -3.0902323061678135415, accuracy: 1e-13)
        XCTAssertEqual(normalQuantile(1e-10), -6.3613409024040562047, accuracy: 1e-12)
        XCTAssertEqual(normalQuantile(0), -.infinity)
        XCTAssertEqual(normalQuantile(1), .infinity)
        XCTAssertTrue(normalQuantile(-0.1).isNaN)
        XCTAssertTrue(normalQuantile(1.1).isNaN)
        XCTAssertTrue(normalQuantile(.nan).isNaN)
    }

    func testQuantileRoundTrip() {
        // p → x → p, relative, over the whole lower half down to 1e-300.
        var exponent = -300.0
        while exponent < log10(0.5) {
            let p = pow(10, exponent)
            let back = normalCDF(normalQuantile(p))
            XCTAssertEqual(back / p, 1, accuracy: 1e-12, "p = \(p)")
            // Upper half by symmetry; q = 1 − p is rounded, but 1 − q is exact.
            let q = 1 - p
            XCTAssertEqual(normalQuantile(q), -normalQuantile(1 - q), "q = \(q)")
            exponent += 0.37
        }
        // x → p → x where p carries enough digits to pin x to ~1e-12.
        var x = -37.0
        while x <= 2 {
            XCTAssertEqual(normalQuantile(normalCDF(x)), x, accuracy: 1e-12 * max(1, abs(x)), "x = \(x)")
            x += 0.173
        }
    }

    func testWilsonIntervalHandCase() {
        // 8 of 10 at z = 1.96: p̂ = 0.8, κ = z²/n = 0.38416, 1 + κ = 1.38416,
        // centre = (0.8 + 0.19208)/1.38416 = 0.99208/1.38416,
        // half-width = 1.96·√(0.8·0.2/10 + 3.8416/400)/1.38416 = 1.96·√0.025604/1.38416,
        // giving 0.490156846720723391… and 0.943319052019306663… (50-digit decimal).
        let (lower, upper) = wilsonInterval(successes: 8, trials: 10, z: 1.96)
        XCTAssertEqual(lower, 0.49015684672072339125, accuracy: 1e-12)
        XCTAssertEqual(upper, 0.94331905201930666308, accuracy: 1e-12)
    }

    func testWilsonIntervalEdges() {
        // 0 of 10: the lower bound is 0 and the upper κ/(1 + κ) = 0.38416/1.38416.
        let none = wilsonInterval(successes: 0, trials: 10, z: 1.96)
        XCTAssertEqual(none.lower, 0)
        XCTAssertEqual(none.upper, 0.38416 / 1.38416, accuracy: 1e-15)
        // 10 of 10 mirrors it.
        let all = wilsonInterval(successes: 10, trials: 10, z: 1.96)
        XCTAssertEqual(all.upper, 1)
        XCTAssertEqual(all.lower, 1 / 1.38416, accuracy: 1e-15)
        // No trials: no information.
        let empty = wilsonInterval(successes: 0, trials: 0, z: 1.96)
        XCTAssertEqual(empty.lower, 0)
        XCTAssertEqual(empty.upper, 1)
        // Weighted (non-integer) counts, and symmetry s ↔ n − s.
        let a = wilsonInterval(successes: 2.5, trials: 7.25, z: 1.959963984540054)
        let b = wilsonInterval(successes: 4.75, trials: 7.25, z: 1.959963984540054)
        XCTAssertEqual(a.lower, 1 - b.upper, accuracy: 1e-15)
        XCTAssertEqual(a.upper, 1 - b.lower, accuracy: 1e-15)
        XCTAssertTrue(a.lower > 0 && a.lower < 2.5 / 7.25 && a.upper > 2.5 / 7.25 && a.upper < 1)
    }

    func testAverageRanksShareTies() {
        XCTAssertEqual(averageRanks([5, 6, 7, 8, 7]), [1, 2, 3.5, 5, 3.5])
        XCTAssertEqual(averageRanks([2, 2, 2]), [2, 2, 2])
        XCTAssertEqual(averageRanks([]), [])
    }

    func testSpearmanHandCase() throws {
        // Ranks [1…5] against [1, 2, 3.5, 5, 3.5]: Σdxdy = 8, Σdx² = 10,
        // Σdy² = 9.5, so ρ = 8/√95 (scipy.stats.spearmanr: 0.8207826816681233).
        XCTAssertEqual(try XCTUnwrap(spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])), 8 / 95.0.squareRoot(),
                       accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(spearmanCorrelation([1, 2, 3], [30, 20, 10])), -1, accuracy: 1e-15)
        // Monotone but not linear: still 1.
        XCTAssertEqual(try XCTUnwrap(spearmanCorrelation([1, 2, 3, 4], [1, 10, 100, 1000])), 1, accuracy: 1e-15)
        XCTAssertNil(spearmanCorrelation([1, 2, 3], [4, 4, 4]))
        XCTAssertNil(spearmanCorrelation([1], [2]))
    }
}
