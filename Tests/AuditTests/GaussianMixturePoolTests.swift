import AssayAudit
import Foundation
import Numerics
import XCTest

/// Issue 16's first Must-show, on a simulation of the paper's
/// Gaussian-mixture task (the model of Plugins/GaussianMixture, written out
/// here because the host cannot yet export a pool to a file): 10^6 pairs,
/// six oracle-free verifiers whose full-truth p* is known, audits of 500
/// uniformly drawn rows. Also the label model on the same pool, whose
/// margin verifiers are far from independent given correctness.
///
/// y = ±1, x | y ~ N(y·τ·w*, I_d/d) with d = 8, τ = 0.25; the generator
/// labels y' = sign(xᵀw_g) with w_g at 30° from w*; a pair is correct when
/// y' = y. Verifiers: margins at 10°, 30°, 60° (keep when y'·xᵀw > 0), the
/// oracle with its keep bit flipped with probability 0.2 and 0.35 (noisy),
/// and a perplexity-like filter keeping the generator's confident half
/// (|xᵀw_g| above its median).
final class GaussianMixturePoolTests: XCTestCase {
    static let names = ["margin10", "margin30", "margin60", "noisy20", "noisy35", "confident"]

    static let pool: SimulatedPool = {
        let d = 8, rows = 1_000_000, tau = 0.25
        var random = RandomStream(seed: 16, keys: 1)
        func unit(_ v: [Double]) -> [Double] { let n = v.map { $0 * $0 }.reduce(0, +).squareRoot(); return v.map { $0 / n } }
        let star = unit((0..<d).map { _ in random.normal() })
        func atAngle(_ degrees: Double) -> [Double] {
            var u = (0..<d).map { _ in random.normal() }
            let along = zip(u, star).map { $0 * $1 }.reduce(0, +)
            u = unit(zip(u, star).map { $0 - along * $1 })
            let angle = degrees * .pi / 180
            return zip(star, u).map { cos(angle) * $0 + sin(angle) * $1 }
        }
        let generator = atAngle(30)
        let margins = [atAngle(10), atAngle(30), atAngle(60)]
        let noise = 1 / Double(d).squareRoot()
        var correct = [Bool](repeating: false, count: rows)
        var patterns = [UInt64](repeating: 0, count: rows)
        var confidence = [Double](repeating: 0, count: rows)
        // Plain loops over flat arrays: this runs 10^6 times in a debug build.
        let directions = [generator] + margins
        var x = [Double](repeating: 0, count: d)
        var projection = [Double](repeating: 0, count: directions.count)
        for i in 0..<rows {
            let y: Double = random.uniform() < 0.5 ? 1 : -1
            for j in 0..<d { x[j] = y * tau * star[j] + noise * random.normal() }
            for (k, w) in directions.enumerated() {
                var total = 0.0
                for j in 0..<d { total += x[j] * w[j] }
                projection[k] = total
            }
            let label: Double = projection[0] >= 0 ? 1 : -1
            let isCorrect = label == y
            var pattern: UInt64 = 0
            for v in 0..<3 where label * projection[1 + v] > 0 { pattern |= 1 << UInt64(v) }
            for (v, flip) in [(3, 0.2), (4, 0.35)] where (random.uniform() < flip) != isCorrect {
                pattern |= 1 << UInt64(v)
            }
            correct[i] = isCorrect
            patterns[i] = pattern
            confidence[i] = abs(projection[0])
        }
        let median = confidence.sorted()[rows / 2]
        for i in 0..<rows where confidence[i] > median { patterns[i] |= 1 << 5 }
        return SimulatedPool(correct: correct, patterns: patterns, verifiers: 6)
    }()

    func testAuditOf500RowsCoversTheFullTruth() throws {
        let pool = Self.pool
        let truth = (0..<6).map { pool.truthBreakdown($0) }
        let strata = pool.strata(stratifyOn: nil)
        var random = RandomStream(seed: 500, keys: 1)
        var covered = [Int](repeating: 0, count: 6)
        var first: [Interval] = []
        let replicates = 1000
        for r in 0..<replicates {
            let (sample, sizes) = try pool.audit(perStratum: ["all": 500], strata: strata, random: &random)
            let estimator = try AuditEstimator(sample: sample, poolSizes: sizes)
            let intervals = (0..<6).map { estimator.breakdownInterval($0) }
            if r == 0 { first = intervals }
            for v in 0..<6 where intervals[v].contains(truth[v]) { covered[v] += 1 }
        }
        print(String(format: "Gaussian-mixture pool, 10^6 pairs, p = %.4f", pool.truthError))
        for v in 0..<6 {
            print(String(format: "  %@: full-truth p* %.4f; first audit of 500: %.4f [%.4f, %.4f] %@; coverage over %d audits %.3f",
                         Self.names[v], truth[v], first[v].estimate, first[v].lower, first[v].upper,
                         first[v].contains(truth[v]) ? "contains it" : "MISSES it", replicates, Double(covered[v]) / Double(replicates)))
        }
        for v in 0..<6 {
            XCTAssertTrue(first[v].contains(truth[v]), Self.names[v])
            XCTAssert((0.93...0.97).contains(Double(covered[v]) / Double(replicates)), "\(Self.names[v]) coverage \(covered[v])/\(replicates)")
        }
    }

    /// The label model on the same pool without an audit: the margins and
    /// the confident filter all read the same x, so they are strongly
    /// correlated given correctness and the model's p* is biased; the
    /// noisy oracles are independent of everything given correctness.
    func testLabelModelOnTheGaussianMixturePool() throws {
        let pool = Self.pool
        // One sample: useAudit: false ignores its 500 audited rows' truth.
        let sample = try pool.fullSample(audited: 500, seed: 1)
        let model = try LabelModel.fit(sample, useAudit: false)
        let anchored = try LabelModel.fit(sample, useAudit: true)
        var lines: [String] = []
        var errors: [Double] = []
        for v in 0..<6 {
            let error = model.breakdown[v] - pool.truthBreakdown(v)
            errors.append(abs(error))
            lines.append(String(format: "  %@: p* full truth %.4f, label model %.4f (error %+.4f), anchored by 500 audited rows %.4f",
                                Self.names[v], pool.truthBreakdown(v), model.breakdown[v], error, anchored.breakdown[v]))
        }
        let margins = pool.conditionalCorrelation(0, 1, amongCorrect: true)
        let noisy = pool.conditionalCorrelation(3, 4, amongCorrect: true)
        print(String(format: "label model on the Gaussian-mixture pool: p %.4f (truth %.4f), conditional correlation among correct pairs: margin10–margin30 %.3f, noisy20–noisy35 %.3f",
                     model.generatorError, pool.truthError, margins, noisy))
        print(lines.joined(separator: "\n"))
        // The assumption fails for the margins and holds for the noisy pair,
        // and the failure shows in the label model's p*.
        XCTAssertGreaterThan(margins, 0.3)
        XCTAssertLessThan(abs(noisy), 0.01)
        XCTAssertGreaterThan(errors.max()!, 0.05)
    }
}
