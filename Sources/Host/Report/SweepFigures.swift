import Foundation

/// The figures of a sweep report, beyond each group's scaling curves.
public enum SweepFigures {
    /// p* of every verifier (and the generator's error p) against the one
    /// numeric swept value: Figure 3's bottom row.
    public static func breakdownPoints(_ groups: [SweepOutcome.Group], axis: String, facet: String) -> String {
        let groups = groups.sorted { ($0.values[axis] as? NSNumber)?.doubleValue ?? 0 < ($1.values[axis] as? NSNumber)?.doubleValue ?? 0 }
        let xs = groups.map { ($0.values[axis] as? NSNumber)?.doubleValue ?? .nan }
        var chart = LineChart(title: "Breakdown point p* per verifier against \(axis)" + (facet.isEmpty ? "" : " — \(facet)"),
                              xLabel: axis, yLabel: "p* = 1 / (1 + ψ/ϕ)")
        if let low = xs.min(), let high = xs.max(), low > 0, high / low >= 10 { chart.xLog = true }
        guard let first = groups.first?.results.first else { return chart.svg() }
        let colors = ReportFigures.colors(first)
        for name in first.verifiers.map(\.name) + ["random"] {
            let points = zip(xs, groups).compactMap { x, group in group.pStar(name).map { (x, $0.mean) } }
            chart.series.append(.init(name: name, points: points, color: colors[name] ?? Palette.gray, dashed: name == "random"))
        }
        chart.series.append(.init(name: "generator error p", points: zip(xs, groups).compactMap { x, group in
            group.generatorError.map { (x, $0.mean) }
        }, color: "#B22222", dashed: true, squareMarkers: true))
        return chart.svg()
    }

    /// Accuracy at each n' against the selections' p* (the paper's Figure 4
    /// style), with the generator's accuracy as a line.
    public static func accuracyAgainstPStar(_ group: SweepOutcome.Group) -> String {
        var chart = LineChart(title: "Accuracy after retraining against p*" + (group.label == "all runs" ? "" : " — \(group.label)"),
                              xLabel: "p* of the selection", yLabel: "test accuracy")
        let ranked = group.selections.filter { group.pStar($0) != nil }
        for (index, n) in group.sizes.enumerated() {
            let estimates = ranked.compactMap { name -> (Double, SweepOutcome.Estimate)? in
                guard let pStar = group.pStar(name), let accuracy = group.accuracy(name, n: n) else { return nil }
                return (pStar.mean, accuracy)
            }.sorted { $0.0 < $1.0 }
            chart.series.append(.init(name: "n' = \(n)", points: estimates.map { ($0.0, $0.1.mean) }, color: Palette.color(index),
                                      errors: estimates.map { $0.1.standardError ?? 0 }))
        }
        if let generator = group.generatorAccuracy?.mean {
            chart.horizontal.append(.init(value: generator, label: String(format: "generator (%.4f)", generator), color: "#B22222"))
        }
        return chart.svg()
    }

    /// Iterated retraining: each chain's retrained accuracy, round by round.
    public static func rounds(_ group: SweepOutcome.Group) -> String {
        var chart = LineChart(title: "Iterated retraining: accuracy of each round's retrained model",
                              xLabel: "round", yLabel: "test accuracy")
        guard let first = group.results.first else { return chart.svg() }
        let colors = ReportFigures.colors(first)
        for name in group.selections {
            let estimates = (1...group.roundCount).compactMap { round in group.round(round, name).map { (Double(round), $0) } }
            guard !estimates.isEmpty else { continue }
            chart.series.append(.init(name: name, points: estimates.map { ($0.0, $0.1.mean) },
                                      color: colors[name] ?? Palette.gray, dashed: name == "random",
                                      errors: estimates.map { $0.1.standardError ?? 0 }))
        }
        if let generator = group.generatorAccuracy?.mean {
            chart.horizontal.append(.init(value: generator, label: String(format: "first generator (%.4f)", generator),
                                          color: "#B22222"))
        }
        return chart.svg()
    }
}
