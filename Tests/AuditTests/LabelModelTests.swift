import AssayAudit
import Numerics
import XCTest

/// The Dawid–Skene label model on simulated pools whose truth is known:
/// with conditionally independent verifiers it recovers p, ϕ, ψ and p*
/// without any audit; when two verifiers are correlated given correctness
/// its assumption fails, the error is reported, and an audit anchors it.
final class LabelModelTests: XCTestCase {
    let phi = [0.85, 0.75, 0.7, 0.8], psi = [0.2, 0.3, 0.35, 0.25]

    func breakdownError(_ model: LabelModel, _ pool: SimulatedPool) -> Double {
        (0..<pool.verifiers).map { abs(model.breakdown[$0] - pool.truthBreakdown($0)) }.max()!
    }

    func testIndependentVerifiersWithoutAudit() throws {
        let pool = SimulatedPool(rows: 100_000, error: 0.3, phi: phi, psi: psi, seed: 3)
        let model = try LabelModel.fit(try pool.fullSample(audited: 0, seed: 1), useAudit: false)
        XCTAssertTrue(model.converged)
        let error = breakdownError(model, pool)
        print(String(format: "label model, independent verifiers, no audit: |p − p_true| = %.4f, max |p* − p*_true| = %.4f, max conditional correlation %.3f",
                     abs(model.generatorError - pool.truthError), error,
                     [pool.conditionalCorrelation(0, 1, amongCorrect: true), pool.conditionalCorrelation(0, 1, amongCorrect: false)].map(abs).max()!))
        XCTAssertEqual(model.generatorError, pool.truthError, accuracy: 0.01)
        for v in 0..<pool.verifiers {
            XCTAssertEqual(model.phi[v], pool.truthPhi(v), accuracy: 0.015)
            XCTAssertEqual(model.psi[v], pool.truthPsi(v), accuracy: 0.015)
        }
        XCTAssertLessThan(error, 0.01)
    }

    func testCorrelatedVerifiersBreakTheModelAndTheAuditAnchorsIt() throws {
        // v1 copies v0's decision on 60 % of rows: conditionally correlated.
        let pool = SimulatedPool(rows: 100_000, error: 0.3, phi: phi, psi: psi, copy: 0.6, seed: 4)
        let correlation = [pool.conditionalCorrelation(0, 1, amongCorrect: true), pool.conditionalCorrelation(0, 1, amongCorrect: false)]
        let blind = try LabelModel.fit(try pool.fullSample(audited: 0, seed: 1), useAudit: false)
        let sample = try pool.fullSample(audited: 1000, seed: 2)
        let anchored = try LabelModel.fit(sample, useAudit: true)
        let audit = try AuditEstimator(sample: sample)
        let measured = ConditionalDependence(audit).pairs.first { $0.first == "v0" && $0.second == "v1" }!
        let auditError = (0..<pool.verifiers).map { abs(audit.breakdown($0) - pool.truthBreakdown($0)) }.max()!
        print(String(format: """
            label model, v1 copies v0 on 60%% of rows: conditional correlation of v0, v1 in the pool %.3f (correct) %.3f (wrong), \
            measured on 1000 audited rows %.3f / %.3f; max |p* − p*_true|: no audit %.4f, anchored by 1000 audited rows %.4f, \
            the audit's own ratio estimate %.4f; |p − p_true|: no audit %.4f, anchored %.4f
            """, correlation[0], correlation[1], measured.amongCorrect ?? .nan, measured.amongWrong ?? .nan,
            breakdownError(blind, pool), breakdownError(anchored, pool), auditError,
            abs(blind.generatorError - pool.truthError), abs(anchored.generatorError - pool.truthError)))
        // The assumption visibly fails, and the audit's diagnostic sees it
        // (on 1000 audited rows its sampling error is ~0.05–0.1).
        XCTAssertGreaterThan(correlation.min()!, 0.4)
        do {
            var random = RandomStream(seed: 2, keys: 61)
            var order = Array(pool.correct.indices)
            for j in 0..<1000 { order.swapAt(j, j + Int(random.next() % UInt64(order.count - j))) }
            let rows = order.prefix(1000).filter { pool.correct[$0] }
            let n = Double(rows.count)
            let mu = Double(rows.filter { pool.kept($0, 0) }.count) / n, mv = Double(rows.filter { pool.kept($0, 1) }.count) / n
            let both = Double(rows.filter { pool.kept($0, 0) && pool.kept($0, 1) }.count) / n
            // The diagnostic is the correlation on exactly the audited correct rows.
            XCTAssertEqual(measured.amongCorrect!, (both - mu * mv) / (mu * (1 - mu) * mv * (1 - mv)).squareRoot(), accuracy: 1e-12)
        }
        XCTAssertGreaterThan(measured.amongCorrect!, 0.3)
        XCTAssertGreaterThan(measured.amongWrong!, 0.3)
        // The blind model is off by more than sampling noise; the anchor helps.
        XCTAssertGreaterThan(breakdownError(blind, pool), 0.02)
        XCTAssertLessThan(breakdownError(anchored, pool), breakdownError(blind, pool))
    }

    func testAnchoredFitOnIndependentVerifiersStaysRight() throws {
        let pool = SimulatedPool(rows: 50_000, error: 0.25, phi: phi, psi: psi, seed: 9)
        let model = try LabelModel.fit(try pool.fullSample(audited: 500, seed: 3), useAudit: true)
        XCTAssertEqual(model.anchoredRows, 500)
        XCTAssertEqual(model.generatorError, pool.truthError, accuracy: 0.01)
        XCTAssertLessThan(breakdownError(model, pool), 0.015)
    }

    func testNeedsThreeVerifiers() throws {
        var sample = AuditSample(verifierNames: ["a", "b"])
        sample.add(stratum: try sample.stratum("all"), pattern: 1, similarity: nil)
        XCTAssertThrowsError(try LabelModel.fit(sample))
    }
}
