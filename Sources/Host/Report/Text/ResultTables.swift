import Foundation

/// Plain-text tables of a result, for terminals and the README.
public enum ResultTables {
    /// Header lines, the ϕ/ψ/p* table and the accuracy-by-n' table.
    public static func render(_ result: ExperimentResult) -> String {
        var lines: [String] = []
        let generator = result.generator
        lines.append("generator \(generator.id) \(generator.version): p = \(fixed(generator.p)) on \(result.poolSize) synthesized pairs; "
            + "test accuracy \(fixed(generator.accuracy))"
            + (generator.agreement.map { ", agreement with Bayes \(fixed($0))" } ?? ""))
        if let bayes = result.bayesAccuracy {
            lines.append("Bayes-optimal test accuracy \(fixed(bayes)) (\(result.testSize) test points)")
        }
        lines.append("")
        lines.append(scores(result.verifiers + result.baselines))
        let sizes = Array(Set((result.verifiers + result.baselines).flatMap { $0.curve.map(\.n) })).sorted()
        if !sizes.isEmpty {
            lines.append("")
            lines.append("Test accuracy of a model retrained on n' selected pairs (generator: \(fixed(generator.accuracy))"
                + (result.bayesAccuracy.map { ", Bayes: \(fixed($0))" } ?? "") + ")")
            lines.append("")
            lines.append(curves(result, sizes: sizes))
        }
        if result.rounds != nil {
            lines.append("")
            lines.append(SweepTables.rounds(SweepOutcome.Group(label: "", values: [:], results: [result])))
        }
        return lines.joined(separator: "\n")
    }

    /// ϕ, ψ and p* of every selection with their 95 % intervals.
    public static func scores(_ selections: [SelectionResult]) -> String {
        let rows = selections.compactMap { selection -> [String]? in
            guard let score = selection.score else { return nil }
            return [selection.name, selection.plugin, "\(score.kept)",
                    withInterval(score.phi, score.phiInterval),
                    withInterval(score.psi, score.psiInterval),
                    withInterval(score.pStar, score.pStarInterval)]
        }
        return TextTable.render(header: ["selection", "plugin", "kept", "ϕ [95% CI]", "ψ [95% CI]", "p* [95% CI]"], rows: rows)
    }

    static func curves(_ result: ExperimentResult, sizes: [Int]) -> String {
        let rows = (result.verifiers + result.baselines).map { selection -> [String] in
            [selection.name, selection.score?.pStar.map(fixed) ?? "—"] + sizes.map { n in
                selection.curve.first { $0.n == n }.map { fixed($0.accuracy) } ?? "—"
            }
        }
        return TextTable.render(header: ["selection", "p*"] + sizes.map { "n'=\($0)" }, rows: rows)
    }

    static func withInterval(_ value: Double?, _ interval: SelectionScore.Interval?) -> String {
        guard let value else { return "—" }
        guard let interval else { return fixed(value) }
        return "\(fixed(value)) [\(fixed(interval.lower)), \(fixed(interval.upper))]"
    }

    public static func fixed(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
