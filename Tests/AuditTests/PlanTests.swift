import AssayAudit
import Numerics
import XCTest

/// The plan: Neyman allocation reaches the target half-width, and the ids
/// it draws are reproducible unaudited rows of the right strata.
final class PlanTests: XCTestCase {
    /// A pilot of 300 audits stratified on v0, planned to ±0.03 on every
    /// p*; auditing the planned extra rows gives intervals at the target
    /// (the delta half-width, averaged over 200 replicate pilots).
    func testPlannedAuditsReachTheTarget() throws {
        let pool = SimulatedPool(rows: 40_000, error: 0.3, phi: [0.85, 0.7, 0.6], psi: [0.2, 0.35, 0.3], seed: 8)
        let strata = pool.strata(stratifyOn: 0)
        var random = RandomStream(seed: 3, keys: 4)
        var reached = [Double](repeating: 0, count: 3)
        let replicates = 200
        for _ in 0..<replicates {
            let (pilot, sizes) = try pool.audit(perStratum: ["kept": 150, "dropped": 150], strata: strata, random: &random)
            let plan = AuditPlan.make(try AuditEstimator(sample: pilot, poolSizes: sizes), halfWidth: 0.03, separate: false, seed: 1)
            let total = ["kept": 150 + plan.extra["kept"]!, "dropped": 150 + plan.extra["dropped"]!]
            let (full, _) = try pool.audit(perStratum: total, strata: strata, random: &random)
            let estimator = try AuditEstimator(sample: full, poolSizes: sizes)
            for v in 0..<3 { reached[v] += AuditEstimator.z95 * estimator.variance(estimator.breakdownGradient(v)).squareRoot() }
        }
        let mean = reached.map { $0 / Double(replicates) }
        print("plan to ±0.03 from a 300-row pilot: mean half-width reached per verifier \(mean.map { String(format: "%.4f", $0) })")
        // Every verifier at or under the target; the one that needs most audits near it.
        XCTAssertLessThan(mean.max()!, 0.0315)
        XCTAssertGreaterThan(mean.max()!, 0.027)
    }

    func testDrawIsReproducibleAndUnaudited() throws {
        let folder = repositoryFolder.appendingPathComponent("examples/audit")
        let mapping = try AuditMapping.load(path: folder.appendingPathComponent("pool.toml").path)
        let data = folder.appendingPathComponent("pool.jsonl").path
        let first = try AuditRun(path: data, mapping: mapping, options: .init(plan: true, halfWidth: 0.05, seed: 7)).run()
        let again = try AuditRun(path: data, mapping: mapping, options: .init(plan: true, halfWidth: 0.05, seed: 7)).run()
        let other = try AuditRun(path: data, mapping: mapping, options: .init(plan: true, halfWidth: 0.05, seed: 8)).run()
        let plan = try XCTUnwrap(first.plan)
        XCTAssertEqual(plan.ids, again.plan?.ids)
        XCTAssertNotEqual(plan.ids, other.plan?.ids)
        for (label, ids) in plan.ids {
            XCTAssertEqual(ids.count, plan.extra[label], label)
            XCTAssertEqual(Set(ids).count, ids.count)
        }
        XCTAssertGreaterThan(plan.extra.values.reduce(0, +), 0)
        // The drawn rows are not audited and lie in their strata.
        let audited = try auditedIDs(data)
        for ids in plan.ids.values { XCTAssertTrue(Set(ids).isDisjoint(with: audited)) }
    }

    func auditedIDs(_ path: String) throws -> Set<String> {
        var ids = Set<String>()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if let value = row["correct"], !(value is NSNull) { ids.insert(row["id"] as! String) }
        }
        return ids
    }
}
