import AssayTestSupport
import AssayAudit
import Foundation
import XCTest

/// The estimates, intervals, verdicts, paired differences and plan on
/// Fixtures/stratified.jsonl (300 rows, two strata audited at unequal
/// fractions, continuous similarities, three verifiers) against
/// reference_audit.py (numpy/scipy, finite-difference gradients).
final class ReferenceTests: XCTestCase {
    func testAgainstNumpyReference() throws {
        let data = auditTestsFolder.appendingPathComponent("Fixtures/stratified.jsonl").path
        let mapping = try AuditMapping.load(path: auditTestsFolder.appendingPathComponent("Fixtures/stratified.toml").path)
        let result = try AuditRun(path: data, mapping: mapping, options: .init(plan: true, halfWidth: 0.02)).run()
        let spec: [String: Any] = [
            "data": data, "audit": mapping.auditColumn, "stratum": "stratum", "pool": mapping.poolSizes!,
            "verifiers": mapping.verifiers.map { [$0.name, $0.column] }, "half_width": 0.02,
        ]
        let input = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        let output = try pythonReference("reference_audit.py", input: input)
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: output) as? [String: Any])
        print("reference: \(reference["method"] ?? "?")")

        func check(_ interval: Interval, _ expected: Any?, _ label: String) throws {
            let values = try XCTUnwrap(expected as? [Double], label)
            XCTAssertEqual(interval.estimate, values[0], accuracy: 1e-9, "\(label) estimate")
            // Finite-difference gradients: agreement to ~1e-7.
            XCTAssertEqual(interval.lower, values[1], accuracy: 1e-6, "\(label) lower")
            XCTAssertEqual(interval.upper, values[2], accuracy: 1e-6, "\(label) upper")
        }
        let e = result.estimates
        XCTAssertTrue(e.unequalSampling)
        try check(e.generatorError, reference["p"], "p")
        let verifiers = try XCTUnwrap(reference["verifiers"] as? [[String: Any]])
        for (v, expected) in verifiers.enumerated() {
            let name = e.verifiers[v].name
            try check(e.verifiers[v].phi, expected["phi"], "\(name) ϕ")
            try check(e.verifiers[v].psi, expected["psi"], "\(name) ψ")
            try check(e.verifiers[v].breakdown, expected["pstar"], "\(name) p*")
            XCTAssertEqual(e.verifiers[v].probabilityBelowBreakdown, try XCTUnwrap(expected["probability"] as? Double), accuracy: 1e-6, "\(name) Pr(p < p*)")
        }
        let differences = try XCTUnwrap(reference["differences"] as? [String: [Double]])
        for c in e.comparisons {
            let expected = try XCTUnwrap(differences["\(c.better)-\(c.worse)"])
            XCTAssertEqual(c.difference.estimate, expected[0], accuracy: 1e-9)
            XCTAssertEqual(c.difference.halfWidth, 1.959963984540054 * expected[1], accuracy: 1e-6)
        }
        let plan = try XCTUnwrap(result.plan)
        let referencePlan = try XCTUnwrap(reference["plan"] as? [String: [String: Int]])
        for (v, name) in e.verifiers.map(\.name).enumerated() {
            XCTAssertEqual(plan.goals[v].extra, referencePlan[name], "plan for \(name)")
        }
    }
}
