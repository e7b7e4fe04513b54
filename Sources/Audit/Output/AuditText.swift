import Foundation

/// The text `assay audit` prints (the JSON is the Result encoded as is).
public enum AuditText {
    public static func render(_ result: AuditRun.Result) -> String {
        let e = result.estimates
        var lines: [String] = []
        lines.append("audit of \(e.file): \(e.rows) rows, \(e.audited) audited, \(e.strata.count) strat\(e.strata.count == 1 ? "um" : "a")")
        if e.strata.count > 1 || e.strata.first?.poolRows != e.strata.first?.fileRows {
            lines.append("")
            lines.append(row(["stratum", "pool rows", "audited", "fraction", "weight"]))
            for s in e.strata {
                lines.append(row([s.label, "\(s.poolRows)", "\(s.audited)", percent(Double(s.audited) / Double(max(s.poolRows, 1))), fixed(s.weight)]))
            }
        }
        if e.unequalSampling {
            lines.append("strata audited at unequal fractions: every estimate is weighted by the pool sizes (the unweighted one would be biased and is not shown)")
        }
        lines.append("")
        lines.append("generator error p = \(interval(e.generatorError))")
        lines.append("")
        lines.append(row(["verifier", "keeps", "ϕ [95%]", "ψ [95%]", "p* [95%]", "Pr(p < p*)"]))
        for v in e.verifiers {
            lines.append(row([v.name, percent(v.keepRate), interval(v.phi), interval(v.psi), interval(v.breakdown), fixed(v.probabilityBelowBreakdown)]))
        }
        for v in e.verifiers {
            for (symbol, value) in [("ϕ", v.phi), ("ψ", v.psi), ("p*", v.breakdown)] {
                if let reason = value.corrected { lines.append("note: \(v.name) \(symbol): \(reason)") }
            }
        }
        if e.verifiers.count > 1 {
            lines.append("")
            lines.append("ranking by p*: \(e.ranking.joined(separator: " > "))")
            lines.append(row(["pair (paired)", "Δp* [95%]", "Pr(better)"]))
            for c in e.comparisons {
                lines.append(row(["\(c.better) vs \(c.worse)", signedInterval(c.difference), fixed(c.probability)]))
            }
        }
        if let model = result.labelModel, let blind = result.labelModelWithoutAudit {
            lines.append("")
            lines.append("label model (Dawid–Skene EM, verifiers independent given correctness)")
            lines.append(row(["", "p", "anchored by", "iterations"]))
            lines.append(row(["with audit", fixed(model.generatorError), "\(model.anchoredRows) rows", "\(model.iterations)\(model.converged ? "" : " (not converged)")"]))
            lines.append(row(["without audit", fixed(blind.generatorError), "none", "\(blind.iterations)\(blind.converged ? "" : " (not converged)")"]))
            lines.append(row(["verifier", "ϕ", "ψ", "p*", "ϕ (no audit)", "ψ (no audit)", "p* (no audit)"]))
            for (v, name) in e.verifiers.map(\.name).enumerated() {
                lines.append(row([name, fixed(model.phi[v]), fixed(model.psi[v]), fixed(model.breakdown[v]),
                                  fixed(blind.phi[v]), fixed(blind.psi[v]), fixed(blind.breakdown[v])]))
            }
            if let largest = result.dependence?.largest {
                lines.append("largest conditional correlation of two verifiers' keeps on the audited rows: \(fixed(largest)) (0 if the model's assumption holds)")
            }
        }
        if let plan = result.plan {
            lines.append("")
            lines.append("plan (Neyman allocation; delta-method half-widths; seed \(plan.seed))")
            let labels = e.strata.map(\.label)
            lines.append(row(["goal", "half-width now", "target"] + labels.map { "+\($0)" } + ["total"]))
            for goal in plan.goals {
                if let reason = goal.impossible {
                    lines.append(row([goal.name, fixed(goal.halfWidth), "—", "cannot plan: \(reason)"]))
                    continue
                }
                lines.append(row([goal.name, fixed(goal.halfWidth), fixed(goal.targetHalfWidth)]
                                 + labels.map { "\(goal.extra[$0] ?? 0)" } + ["\(goal.total)"]))
            }
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

    static func row(_ cells: [String]) -> String {
        let widths = [14, 8, 24, 24, 24, 10]
        return cells.enumerated().map { i, cell in
            let width = i < widths.count ? widths[i] : 10
            return cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined().trimmingCharacters(in: .whitespaces)
    }
}
