import AssayAudit
import XCTest

/// Each formula on a pool small enough to compute by hand.
final class HandComputedTests: XCTestCase {
    /// examples/audit/ten-rows.jsonl, every row audited (s = correct):
    ///   correct rows r1 r3 r4 r6 r8 r9 (6), wrong rows r2 r5 r7 r10 (4) → p = 4/10 = 0.4
    ///   judge keeps r1 r2 r3 r4 r6 r8: correct 5/6, wrong 1/4 (r2)
    ///     ϕ = E[qs]/E[s] = 0.5/0.6 = 5/6, ψ = E[q(1−s)]/E[1−s] = 0.1/0.4 = 1/4,
    ///     p* = ϕ/(ϕ + ψ) = (5/6)/(13/12) = 10/13
    ///   regex keeps r1 r2 r3 r5 r6: correct 3/6, wrong 2/4 → ϕ = ψ = 1/2, p* = 1/2
    ///   reward, top fraction 0.4 of 10 rows = 4 rows: r1 (0.9), r3 (0.8) above
    ///     the cut, then the tie at 0.5 (r2, r4, r9) by row order: r2, r4.
    ///     Kept r1 r2 r3 r4: correct 3/6 (r1 r3 r4), wrong 1/4 (r2)
    ///     → ϕ = 1/2, ψ = 1/4, p* = (1/2)/(3/4) = 2/3
    ///     (ties taken from the end would keep r4, r9: ψ = 0, p* = 1).
    func checkTenRows(_ data: String) throws {
        let mapping = try AuditMapping.load(path: repositoryFolder.appendingPathComponent("examples/audit/ten-rows.toml").path)
        let result = try AuditRun(path: repositoryFolder.appendingPathComponent(data).path, mapping: mapping).run()
        let e = result.estimates
        XCTAssertEqual(e.rows, 10)
        XCTAssertEqual(e.audited, 10)
        XCTAssertEqual(e.generatorError.estimate, 0.4, accuracy: 1e-12)
        let expected: [(String, Double, Double, Double)] = [("judge", 5.0 / 6, 0.25, 10.0 / 13), ("regex", 0.5, 0.5, 0.5), ("reward", 0.5, 0.25, 2.0 / 3)]
        for (v, (name, phi, psi, breakdown)) in expected.enumerated() {
            XCTAssertEqual(e.verifiers[v].name, name)
            XCTAssertEqual(e.verifiers[v].phi.estimate, phi, accuracy: 1e-12, name)
            XCTAssertEqual(e.verifiers[v].psi.estimate, psi, accuracy: 1e-12, name)
            XCTAssertEqual(e.verifiers[v].breakdown.estimate, breakdown, accuracy: 1e-12, name)
        }
        XCTAssertEqual(e.verifiers[2].keepRate, 0.4, accuracy: 1e-12)
        XCTAssertEqual(e.ranking, ["judge", "reward", "regex"])
        XCTAssertFalse(e.unequalSampling)
    }

    func testTenRowsJSONL() throws { try checkTenRows("examples/audit/ten-rows.jsonl") }
    func testTenRowsCSV() throws { try checkTenRows("examples/audit/ten-rows.csv") }

    /// The interval of the 10-row case at N = 1000, by hand for p:
    /// s̄ = 0.6, S² = 10/9 · 0.24 = 0.2667, Var(p̂) = (1 − 10/1000) · 0.2667/10 = 0.0264,
    /// n_eff = 0.24/0.0264 = 9.0909…, Wilson(0.4, n_eff) at z = 1.96:
    /// κ = z²/n = 0.42256, centre = (0.4 + κ/2)/(1 + κ) = 0.42970,
    /// half = z·√(0.24/n + κ/(4n))/(1 + κ) = 1.96·√0.038020/1.42256 = 0.26866
    /// → [0.1610, 0.6984].
    func testTenRowsErrorIntervalByHand() throws {
        let mapping = try AuditMapping.load(path: repositoryFolder.appendingPathComponent("examples/audit/ten-rows.toml").path)
        let e = try AuditRun(path: repositoryFolder.appendingPathComponent("examples/audit/ten-rows.jsonl").path, mapping: mapping).run().estimates
        XCTAssertEqual(e.generatorError.lower, 0.1610, accuracy: 2e-4)
        XCTAssertEqual(e.generatorError.upper, 0.6984, accuracy: 2e-4)
    }

    /// A continuous similarity: s = 1, 0.5, 0, 0.25 with q = 1, 1, 0, 0:
    /// E[s] = 1.75/4, E[qs] = 1.5/4, E[q(1−s)] = 0.5/4, so p = 1 − 0.4375 = 0.5625,
    /// ϕ = 1.5/1.75 = 6/7, ψ = 0.5/2.25 = 2/9, p* = (6/7)/(6/7 + 2/9) = 54/68 = 27/34.
    func testContinuousSimilarity() throws {
        let path = try temporaryFile("s.jsonl", """
            {"id": 1, "s": 1, "k": 1}
            {"id": 2, "s": 0.5, "k": 1}
            {"id": 3, "s": 0, "k": 0}
            {"id": 4, "s": 0.25, "k": 0}
            """)
        let mapping = AuditMapping(idColumn: "id", auditColumn: "s", verifiers: [.init(name: "k", column: "k")], poolSizes: ["all": 100])
        let e = try AuditRun(path: path, mapping: mapping).run().estimates
        XCTAssertEqual(e.generatorError.estimate, 0.5625, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[0].phi.estimate, 6.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[0].psi.estimate, 2.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[0].breakdown.estimate, 27.0 / 34, accuracy: 1e-12)
    }

    /// Two strata sampled unequally (4 of 100 rows in a, 4 of 300 in b):
    ///   a: s = 1 1 1 0, q = 1 1 0 0 → s̄ = 0.75, mean qs = 0.5, mean q(1−s) = 0
    ///   b: s = 1 0 0 0, q = 1 1 0 1 → s̄ = 0.25, mean qs = 0.25, mean q(1−s) = 0.5
    ///   W = (0.25, 0.75): E[s] = 0.375, E[qs] = 0.3125, E[q(1−s)] = 0.375
    ///   p = 0.625, ϕ = 0.3125/0.375 = 5/6, ψ = 0.375/0.625 = 0.6, p* = (5/6)/(5/6 + 3/5) = 25/43
    /// The unweighted estimates (p = 0.5, ϕ = 0.75, ψ = 0.5, p* = 0.6) are wrong and not reported.
    func testStratifiedWeightsByPoolSizes() throws {
        let rows = [("a", 1, 1), ("a", 1, 1), ("a", 1, 0), ("a", 0, 0), ("b", 1, 1), ("b", 0, 1), ("b", 0, 0), ("b", 0, 1)]
        let text = rows.enumerated().map { i, row in "{\"id\": \"r\(i)\", \"group\": \"\(row.0)\", \"ok\": \(row.1), \"keep\": \(row.2)}" }.joined(separator: "\n")
        let path = try temporaryFile("strata.jsonl", text)
        let mapping = AuditMapping(idColumn: "id", auditColumn: "ok", verifiers: [.init(name: "keep", column: "keep")],
                                   strata: .column("group"), poolSizes: ["a": 100, "b": 300])
        let result = try AuditRun(path: path, mapping: mapping).run()
        let e = result.estimates
        XCTAssertTrue(e.unequalSampling)
        XCTAssertEqual(e.generatorError.estimate, 0.625, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[0].phi.estimate, 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[0].psi.estimate, 0.6, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[0].breakdown.estimate, 25.0 / 43, accuracy: 1e-12)
        let printed = AuditText.render(result)
        XCTAssertTrue(printed.contains("generator error p = 0.625"), printed)
        XCTAssertTrue(printed.contains("weighted by the pool sizes"), printed)
        XCTAssertFalse(printed.contains("p = 0.500"), printed)
        XCTAssertFalse(try AuditText.json(result).contains("unweighted"))
    }

    /// Stratified on a verifier's own decisions at equal fractions (6 kept of
    /// 600, 4 dropped of 400) the weights equal the sample shares, so the
    /// estimates are the uniform ones.
    func testStratifiedOnAVerifierAtEqualFractions() throws {
        var mapping = try AuditMapping.load(path: repositoryFolder.appendingPathComponent("examples/audit/ten-rows.toml").path)
        mapping.strata = .verifier("judge")
        mapping.poolSizes = ["kept": 600, "dropped": 400]
        let e = try AuditRun(path: repositoryFolder.appendingPathComponent("examples/audit/ten-rows.jsonl").path, mapping: mapping).run().estimates
        XCTAssertEqual(e.strata.map(\.label).sorted(), ["dropped", "kept"])
        XCTAssertFalse(e.unequalSampling)
        XCTAssertEqual(e.verifiers[0].breakdown.estimate, 10.0 / 13, accuracy: 1e-12)
        XCTAssertEqual(e.verifiers[2].breakdown.estimate, 2.0 / 3, accuracy: 1e-12)
    }

    /// ψ = 0 (no audited wrong row kept): p* = 1, and its interval comes from
    /// the Haldane-corrected moments, reaches 1 and is marked.
    func testEmptyCellGetsAMarkedInterval() throws {
        let path = try temporaryFile("zero.csv", "id,ok,keep\n1,1,1\n2,1,1\n3,1,0\n4,0,0\n5,0,0\n6,1,1\n")
        let mapping = AuditMapping(idColumn: "id", auditColumn: "ok", verifiers: [.init(name: "keep", column: "keep")], poolSizes: ["all": 1000])
        let e = try AuditRun(path: path, mapping: mapping).run().estimates
        let breakdown = e.verifiers[0].breakdown
        XCTAssertEqual(breakdown.estimate, 1)
        XCTAssertEqual(breakdown.upper, 1)
        XCTAssertLessThan(breakdown.lower, 0.9)
        XCTAssertNotNil(breakdown.corrected)
        XCTAssertNotNil(e.verifiers[0].psi.corrected)
        XCTAssertEqual(e.verifiers[0].psi.lower, 0)
    }
}
