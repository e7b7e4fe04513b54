import AssayTestSupport
import Foundation
import Numerics
import XCTest

/// The learner inside the loop, checked against closed forms on the
/// default config (d = 100, τ = 0.15): the Bayes classifier's accuracy is
/// Φ(τ·√d) = Φ(1.5) ≈ 0.9332, and a model retrained on enough clean pairs
/// must come close to it.
final class LearnerSanityTests: XCTestCase {
    private let closedFormBayes = normalCDF(0.15 * 100.0.squareRoot())

    func testClosedFormReference() {
        XCTAssertEqual(closedFormBayes, 0.9332, accuracy: 1e-4)
    }

    func testBayesAccuracyMatchesTheClosedForm() throws {
        let document = try DefaultRun.output().document
        let bayes = try XCTUnwrap(document["bayes_accuracy"] as? Double)
        // 100 000 test points: standard error √(0.93·0.07/1e5) ≈ 0.0008.
        XCTAssertEqual(bayes, closedFormBayes, accuracy: 0.01)
    }

    func testCleanBaselineApproachesBayesAccuracy() throws {
        let document = try DefaultRun.output().document
        let bayes = try XCTUnwrap(document["bayes_accuracy"] as? Double)
        let clean = try XCTUnwrap(entry(document, "clean", in: "baselines"))
        let curve = try XCTUnwrap(clean["curve"] as? [[String: Any]])
        let largest = try XCTUnwrap(curve.max { ($0["n"] as? Int ?? 0) < ($1["n"] as? Int ?? 0) })
        XCTAssertEqual(largest["n"] as? Int, 30_000)
        let accuracy = try XCTUnwrap(largest["accuracy"] as? Double)
        XCTAssertEqual(accuracy, bayes, accuracy: 0.02, "clean baseline at n' = 30 000 vs Bayes")
        XCTAssertLessThanOrEqual(accuracy, bayes + 0.005, "nothing beats the Bayes classifier beyond noise")
        // And it agrees with the Bayes predictor on nearly every test point.
        let agreement = try XCTUnwrap(largest["agreement"] as? Double)
        XCTAssertGreaterThan(agreement, 0.97)
    }

    func testCleanCurveImprovesWithMoreData() throws {
        let document = try DefaultRun.output().document
        let clean = try XCTUnwrap(entry(document, "clean", in: "baselines"))
        let accuracies = try XCTUnwrap(clean["curve"] as? [[String: Any]]).compactMap { $0["accuracy"] as? Double }
        XCTAssertEqual(accuracies.count, 4)
        XCTAssertLessThan(accuracies[0], accuracies[2], "n' = 100 vs 10 000: \(accuracies)")
        XCTAssertLessThan(accuracies[1], accuracies[3], "n' = 1 000 vs 30 000: \(accuracies)")
    }
}
