import Foundation

/// The figures of a report, as standalone SVG documents.
public enum ReportFigures {
    /// Every selection in order (verifiers, then baselines) with its colour,
    /// the same in every figure.
    static func colors(_ result: ExperimentResult) -> [String: String] {
        var colors: [String: String] = [:]
        for (index, verifier) in result.verifiers.enumerated() { colors[verifier.name] = Palette.color(index) }
        for baseline in result.baselines {
            colors[baseline.name] = baseline.name == "clean" ? Palette.black : Palette.gray
        }
        return colors
    }

    /// Figure 1: test accuracy (relative to Bayes when the task has a Bayes
    /// predictor) against n' on a log axis.
    public static func scaling(_ result: ExperimentResult) -> String {
        scaling(SweepOutcome.Group(label: "", values: [:], results: [result]))
    }

    /// Scaling curves of a group of replicates: mean accuracy with
    /// standard-error bars when there are several.
    public static func scaling(_ group: SweepOutcome.Group, title: String = "Scaling: test accuracy of a model retrained on n' selected pairs") -> String {
        let bayes = group.bayesAccuracy.flatMap { $0.mean > 0 ? $0.mean : nil }
        let scale = bayes ?? 1
        var chart = LineChart(title: title, xLabel: "n' (selected pairs retrained on, log scale)",
                              yLabel: bayes == nil ? "test accuracy" : "test accuracy / Bayes accuracy")
        chart.xLog = true
        guard let first = group.results.first else { return chart.svg() }
        let colors = colors(first)
        for name in group.selections {
            let baseline = first.baselines.contains { $0.name == name }
            let estimates = group.sizes.filter { $0 > 0 }.compactMap { n in group.accuracy(name, n: n).map { (n, $0) } }
            chart.series.append(.init(
                name: name, points: estimates.map { (Double($0.0), $0.1.mean / scale) },
                color: colors[name] ?? Palette.gray, dashed: baseline, squareMarkers: baseline,
                errors: group.results.count > 1 ? estimates.map { ($0.1.standardError ?? 0) / scale } : nil))
        }
        if let generator = group.generatorAccuracy?.mean {
            chart.horizontal.append(.init(value: generator / scale, label: String(format: "generator (%.4f)", generator),
                                          color: "#B22222"))
        }
        if let bayes {
            chart.horizontal.append(.init(value: 1, label: String(format: "Bayes (%.4f)", bayes), color: Palette.black))
        }
        return chart.svg()
    }

    /// Figure 2: p* of every scored selection with its 95 % interval, and
    /// the generator's error p (a verifier with p* > p can beat the generator).
    public static func breakdownPoints(_ result: ExperimentResult) -> String {
        var chart = BarChart(title: "Breakdown point p* per verifier (95% interval)",
                             xLabel: "p* = 1 / (1 + ψ/ϕ)")
        let colors = colors(result)
        for selection in result.verifiers + result.baselines {
            guard let score = selection.score, let pStar = score.pStar else { continue }
            chart.bars.append(.init(label: selection.name, value: pStar,
                                    interval: score.pStarInterval.map { ($0.lower, $0.upper) },
                                    color: colors[selection.name] ?? Palette.gray))
        }
        chart.vertical.append(.init(value: result.generator.p,
                                    label: String(format: "generator error p = %.4f (p* > p can beat the generator)",
                                                  result.generator.p),
                                    color: "#B22222"))
        return chart.svg()
    }
}
