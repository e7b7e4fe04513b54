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
        let bayes = result.bayesAccuracy.flatMap { $0 > 0 ? $0 : nil }
        let scale = bayes ?? 1
        var chart = LineChart(
            title: "Scaling: test accuracy of a model retrained on n' selected pairs",
            xLabel: "n' (selected pairs retrained on, log scale)",
            yLabel: bayes == nil ? "test accuracy" : "test accuracy / Bayes accuracy")
        chart.xLog = true
        let colors = colors(result)
        for selection in result.verifiers + result.baselines {
            let baseline = result.baselines.contains { $0.name == selection.name }
            chart.series.append(.init(
                name: selection.name,
                points: selection.curve.filter { $0.n > 0 }.map { (Double($0.n), $0.accuracy / scale) },
                color: colors[selection.name] ?? Palette.gray, dashed: baseline, squareMarkers: baseline))
        }
        chart.horizontal.append(.init(value: result.generator.accuracy / scale,
                                      label: String(format: "generator (%.4f)", result.generator.accuracy),
                                      color: "#B22222"))
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

    /// Figure 3 (phase sweeps): agreement with the Bayes predictor against
    /// the generator's error p, with each verifier's predicted p* dashed.
    public static func phase(_ verifiers: [PhaseVerifier], n: Int) -> String {
        var chart = LineChart(title: "Phase transition: agreement with Bayes after retraining on n' = \(n)",
                              xLabel: "generator error p", yLabel: "agreement with the Bayes predictor")
        chart.xDomain = 0 ... 1
        chart.yDomain = 0 ... 1
        for (index, verifier) in verifiers.enumerated() {
            let color = Palette.color(index)
            chart.series.append(.init(
                name: verifier.name + (verifier.predictedPStar.map { String(format: " (p* = %.3f)", $0) } ?? ""),
                points: verifier.points.compactMap { point in point.agreement.map { (point.p, $0) } }.sorted { $0.0 < $1.0 },
                color: color))
            if let pStar = verifier.predictedPStar {
                chart.vertical.append(.init(value: pStar, label: nil, color: color))
            }
        }
        chart.horizontal.append(.init(value: 0.5, label: "50% agreement", color: Palette.gray))
        // A legend entry only (outside the axis, so not drawn): what the
        // coloured dashed verticals are.
        chart.vertical.append(.init(value: -1, label: "predicted p* (dashed, per verifier)", color: Palette.gray))
        return chart.svg()
    }
}
