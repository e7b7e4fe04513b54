import Foundation

/// The text `assay audit` prints (the JSON is the Result encoded as is).
public enum AuditText {
    public static func render(_ result: AuditRun.Result) -> String {
        let e = result.estimates
        var lines: [String] = []
        lines.append("audit of \(e.file): \(e.rows) rows, \(e.audited) audited, \(e.strata.count) strat\(e.strata.count == 1 ? "um" : "a")")
        if e.strata.count > 1 || e.strata.first?.poolRows != e.strata.first?.fileRows {
            lines.append("")
            lines += table([["stratum", "pool rows", "audited", "fraction", "weight"]] + e.strata.map { s in
                [s.label, "\(s.poolRows)", "\(s.audited)", percent(Double(s.audited) / Double(max(s.poolRows, 1))), fixed(s.weight)]
            })
        }
        if e.unequalSampling {
            lines.append("strata audited at unequal fractions: every estimate is weighted by the pool sizes (the unweighted one would be biased and is not shown)")
        }
        lines.append("")
        lines.append("generator error p = \(interval(e.generatorError))")
        lines.append("")
        lines += table([["verifier", "keeps", "ϕ [95%]", "ψ [95%]", "p* [95%]", "Pr(p < p*)"]] + e.verifiers.map { v in
            [v.name, percent(v.keepRate), interval(v.phi), interval(v.psi), interval(v.breakdown), fixed(v.probabilityBelowBreakdown)]
        })
        for v in e.verifiers {
            for (symbol, value) in [("ϕ", v.phi), ("ψ", v.psi), ("p*", v.breakdown)] {
                if let reason = value.corrected { lines.append("note: \(v.name) \(symbol): \(reason)") }
            }
        }
        if e.verifiers.count > 1 {
            lines.append("")
            lines.append("ranking by p*: \(e.ranking.joined(separator: " > "))")
            lines += table([["pair (paired)", "Δp* [95%]", "Pr(better)"]] + e.comparisons.map { c in
                ["\(c.better) vs \(c.worse)", signedInterval(c.difference), fixed(c.probability)]
            })
        }
        if let model = result.labelModel, let blind = result.labelModelWithoutAudit {
            lines.append("")
            lines.append("label model (Dawid–Skene EM, verifiers independent given correctness)")
            lines += table([["", "p", "anchored by", "iterations"],
                            ["with audit", fixed(model.generatorError), "\(model.anchoredRows) rows", "\(model.iterations)\(model.converged ? "" : " (not converged)")"],
                            ["without audit", fixed(blind.generatorError), "none", "\(blind.iterations)\(blind.converged ? "" : " (not converged)")"]])
            lines += table([["verifier", "ϕ", "ψ", "p*", "ϕ (no audit)", "ψ (no audit)", "p* (no audit)"]] + e.verifiers.map(\.name).enumerated().map { v, name in
                [name, fixed(model.phi[v]), fixed(model.psi[v]), fixed(model.breakdown[v]), fixed(blind.phi[v]), fixed(blind.psi[v]), fixed(blind.breakdown[v])]
            })
            if let largest = result.dependence?.largest {
                lines.append("largest conditional correlation of two verifiers' keeps on the audited rows: \(fixed(largest)) (0 if the model's assumption holds)")
            }
        }
        if let plan = result.plan {
            lines.append("")
            lines.append("plan (Neyman allocation; delta-method half-widths; seed \(plan.seed))")
            let labels = e.strata.map(\.label)
            lines += table([["goal", "half-width now", "target"] + labels.map { "+\($0)" } + ["total"]] + plan.goals.map { goal in
                if let reason = goal.impossible { return [goal.name, fixed(goal.halfWidth), "—", "cannot plan: \(reason)"] }
                return [goal.name, fixed(goal.halfWidth), fixed(goal.targetHalfWidth)] + labels.map { "\(goal.extra[$0] ?? 0)" } + ["\(goal.total)"]
            })
            let total = plan.extra.values.reduce(0, +)
            lines.append("next: \(total) rows for goal '\(plan.chosen)' (\(labels.map { "\($0): \(plan.extra[$0] ?? 0)" }.joined(separator: ", ")))")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ result: AuditRun.Result) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
    static func interval(_ i: Interval) -> String { "\(fixed(i.estimate)) [\(fixed(i.lower)), \(fixed(i.upper))]" }
    static func signedInterval(_ i: Interval) -> String {
        String(format: "%+.3f [%+.3f, %+.3f]", i.estimate, i.lower, i.upper)
    }

    /// Rows padded to their columns' widths (two spaces between columns).
    static func table(_ rows: [[String]]) -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }.joined()
        }
    }
}
