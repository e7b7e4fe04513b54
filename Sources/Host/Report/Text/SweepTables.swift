import Foundation

/// Plain-text tables of a sweep, one block per group of replicates, and
/// its JSON document.
public enum SweepTables {
    public static func render(_ outcome: SweepOutcome) -> String {
        outcome.groups.map(render).joined(separator: "\n\n")
    }

    static func render(_ group: SweepOutcome.Group) -> String {
        let replicates = group.results.count
        var lines = ["\(group.label)" + (replicates > 1 ? " — mean ± standard error over \(replicates) seeds" : "")]
        var header = "generator: p = \(estimate(group.generatorError)), test accuracy \(estimate(group.generatorAccuracy))"
        if let bayes = group.bayesAccuracy { header += "; Bayes \(estimate(bayes))" }
        lines.append(header)
        lines.append("")
        let sizes = group.sizes
        let rows = group.selections.map { name in
            [name, group.pStar(name).map(estimate) ?? "—"] + sizes.map { n in group.accuracy(name, n: n).map(estimate) ?? "—" }
        }
        lines.append(TextTable.render(header: ["selection", "p*"] + sizes.map { "n'=\($0)" }, rows: rows))
        if group.roundCount > 1 {
            lines.append("")
            lines.append(rounds(group))
        }
        return lines.joined(separator: "\n")
    }

    /// Test accuracy of each chain's model, round by round.
    static func rounds(_ group: SweepOutcome.Group) -> String {
        let count = group.roundCount
        let chains = group.selections.filter { name in group.round(1, name) != nil }
        let rows = chains.map { name in [name] + (1...count).map { group.round($0, name).map(estimate) ?? "—" } }
        return "Iterated retraining: test accuracy of the model retrained in each round\n\n"
            + TextTable.render(header: ["chain"] + (1...count).map { "round \($0)" }, rows: rows)
    }

    /// "mean ± standard error", or the mean alone for one replicate.
    public static func estimate(_ value: SweepOutcome.Estimate?) -> String {
        guard let value else { return "—" }
        guard let error = value.standardError else { return ResultTables.fixed(value.mean) }
        return ResultTables.fixed(value.mean) + " ± " + ResultTables.fixed(error)
    }

    /// `{"schema": 1, "sweep_id": …, "points": [{"point": {path: value}, "result": {…}}]}`:
    /// the points' results are parts of this document, under its one schema.
    public static func json(_ outcome: SweepOutcome) throws -> String {
        let points = try outcome.points.map { point -> String in
            let values = try JSONSerialization.data(withJSONObject: point.values, options: [.sortedKeys])
            return "{\"point\": \(String(decoding: values, as: UTF8.self)), \"result\": \(try JSONDocument.encodePart(point.result, pretty: false))}"
        }
        return "{\"schema\": \(JSONDocument.schema), \"sweep_id\": \(outcome.sweepID.map(String.init) ?? "null"), \"points\": [\n"
            + points.joined(separator: ",\n") + "\n]}"
    }
}
