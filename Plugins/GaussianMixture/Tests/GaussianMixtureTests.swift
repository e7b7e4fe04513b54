import Foundation
import PluginAPI
import PluginTestSupport
import XCTest

/// The Gaussian-mixture generator through its C table, against the
/// task's own densities: x | y ~ N(y·τ·w*, I/d), P(y = ±1) = 1/2.
final class GaussianMixtureTests: XCTestCase {
    private let d = 4, tau = 0.5

    private func prepared() throws -> GeneratorHarness {
        let generator = try GeneratorHarness(library: "libassay_gaussian_mixture.so", id: "gaussian-mixture",
                                             config: #"{"d": 4, "n0": 50, "tau": 0.5}"#)
        try generator.prepare(seed: 3)
        XCTAssertEqual(generator.xCols, d)
        XCTAssertEqual(generator.yCols, 1)
        return generator
    }

    /// log P(y | x) from the two class densities (the shared constant and
    /// the equal priors cancel), not from the plugin's closed form.
    private func posterior(_ x: ArraySlice<Double>, _ y: Double, direction w: [Double]) -> Double {
        func logDensity(_ label: Double) -> Double {
            -Double(d) / 2 * zip(x, w).reduce(0) { $0 + pow($1.0 - label * tau * $1.1, 2) }
        }
        let mine = logDensity(y), other = logDensity(-y)
        return mine - max(mine, other) - log(exp(mine - max(mine, other)) + exp(other - max(mine, other)))
    }

    func testTheBayesModelIsThePosteriorOfTheTwoDensities() throws {
        let generator = try prepared()
        let w = try generator.taskVector("direction", count: d)
        XCTAssertEqual(w.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-12, "w* is a unit vector")
        let (x, y) = try generator.draw(rows: 200, seed: 3, keys: [1])
        let out = try generator.logLikelihood(model: "bayes", x: x, y: y)
        for row in 0 ..< 200 {
            XCTAssertEqual(out[row], posterior(x[row * d ..< (row + 1) * d], y[row], direction: w), accuracy: 1e-9, "row \(row)")
        }
        // Predictions are the sign of xᵀw*, the more likely class.
        let predicted = try generator.label(model: "bayes", mode: Int(ASSAY_LABEL_PREDICT), x: x, seed: 3, keys: [2])
        for row in 0 ..< 200 {
            let margin = zip(x[row * d ..< (row + 1) * d], w).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(predicted[row], margin >= 0 ? 1 : -1, "row \(row)")
        }
    }

    func testSimilarityIsAgreementWithTheDrawnLabel() throws {
        let generator = try prepared()
        let x = [Double](repeating: 0.1, count: 3 * d)
        XCTAssertEqual(try generator.similarity(x: x, y: [1, -1, 1], truth: [1, 1, 1]), [1, 0, 1])
    }

    func testBatchesOfTheWrongShapeAreRefusedBeforeThePlugin() throws {
        let generator = try prepared()
        XCTAssertEqual(failure { try generator.label(model: "bayes", x: [0, 0, 0], xCols: 3) },
                       "batch at row 0: x has 3 columns, expected 4")
    }
}
