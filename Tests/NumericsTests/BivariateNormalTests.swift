import AssayTestSupport
import Foundation
import Numerics
import XCTest

/// Φ₂ (Genz 2004) against scipy.stats.multivariate_normal on a grid of
/// (x, y, ρ) including ρ near ±1, and against closed forms.
final class BivariateNormalTests: XCTestCase {
    func testClosedForms() {
        // Φ₂(0, 0; ρ) = 1/4 + asin(ρ)/(2π).
        for rho in [-0.999999, -0.95, -0.5, 0, 0.3, 0.8, 0.93, 0.999999] {
            XCTAssertEqual(bivariateNormalCDF(0, 0, rho: rho), 0.25 + asin(rho) / (2 * Double.pi), accuracy: 1e-14, "ρ = \(rho)")
        }
        for (x, y) in [(-1.3, 0.4), (2.0, -0.7), (0.1, 0.1)] {
            let (px, py) = (standardNormalCDF(x), standardNormalCDF(y))
            XCTAssertEqual(bivariateNormalCDF(x, y, rho: 0), px * py, accuracy: 1e-15)
            XCTAssertEqual(bivariateNormalCDF(x, y, rho: 1), min(px, py), accuracy: 1e-15)
            XCTAssertEqual(bivariateNormalCDF(x, y, rho: -1), max(0, px + py - 1), accuracy: 1e-15)
            XCTAssertEqual(bivariateNormalCDF(x, .infinity, rho: 0.4), px, accuracy: 1e-15)
            XCTAssertEqual(bivariateNormalCDF(-.infinity, y, rho: 0.4), 0)
        }
        XCTAssertEqual(standardNormalCDF(1.959963984540054), 0.975, accuracy: 1e-15)
        XCTAssertTrue(bivariateNormalCDF(.nan, 0, rho: 0).isNaN)
    }

    func testAgainstScipy() throws {
        let coordinates: [Double] = [-5, -2.5, -1, -0.3, 0, 0.2, 1, 1.7, 3, 6]
        let rhos: [Double] = [-0.9999999, -0.99999, -0.999, -0.95, -0.93, -0.9, -0.75, -0.5, -0.3, -0.1,
                              0.05, 0.29, 0.31, 0.6, 0.74, 0.76, 0.9, 0.924, 0.926, 0.99, 0.99999, 0.9999999]
        var points: [(Double, Double, Double)] = []
        for x in coordinates { for y in coordinates { for rho in rhos { points.append((x, y, rho)) } } }
        let reference = try scipyReference(points)
        XCTAssertEqual(reference.values.count, points.count)
        var worst = (error: 0.0, point: (0.0, 0.0, 0.0))
        for (point, expected) in zip(points, reference.values) {
            let ours = bivariateNormalCDF(point.0, point.1, rho: point.2)
            let error = abs(ours - expected)
            if error > worst.error { worst = (error, point) }
            XCTAssertLessThanOrEqual(error, 1e-7, "Φ₂\(point): ours \(ours), \(reference.method) \(expected)")
        }
        print("Φ₂ vs \(reference.method) on \(points.count) points: max |Δ| = \(worst.error) at \(worst.point)")
    }

    private struct Reference: Decodable { let values: [Double]; let method: String }

    private func scipyReference(_ points: [(Double, Double, Double)]) throws -> Reference {
        let text = points.map { "\($0.0) \($0.1) \($0.2)" }.joined(separator: "\n") + "\n"
        let stdout = try pythonReference("reference_bivariate_normal.py", input: text)
        return try JSONDecoder().decode(Reference.self, from: stdout)
    }
}
