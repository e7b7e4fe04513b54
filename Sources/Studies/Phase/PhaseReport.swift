import AssayHost

/// What `assay report` adds for a run of an `assay phase` sweep: the
/// sweep's phase-transition figure and its table of breakdown points.
public enum PhaseReport {
    /// The supplement of a report on one run of `sweep` (its runs, in grid
    /// order, as `PhaseSweepRuns.runs` finds them); nil for fewer than two.
    public static func supplement(_ sweep: [ResultsStore.StoredRun]?) throws -> ReportBuilder.Supplement? {
        guard let sweep, sweep.count >= 2 else { return nil }
        let (n, verifiers) = try PhaseSweepRuns.verifiers(sweep)
        let runIDs = sweep.map(\.summary.id)
        let figure = ReportBuilder.Figure(
            name: "phase",
            caption: "Figure 3. Phase sweep (runs \(runIDs.map(String.init).joined(separator: ", "))): agreement "
                + "with the Bayes predictor of a model retrained on n' = \(n) kept pairs, against the generator's "
                + "error p. Dashed vertical lines: each verifier's predicted p* from its pooled ϕ and ψ.",
            svg: chart(verifiers, n: n))
        return ReportBuilder.Supplement(figures: [figure], section: "<h2>Phase sweep</h2>\n" + table(verifiers))
    }

    /// Agreement with the Bayes predictor against the generator's error p,
    /// with each verifier's predicted p* dashed.
    static func chart(_ verifiers: [PhaseVerifier], n: Int) -> String {
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

    static func table(_ verifiers: [PhaseVerifier]) -> String {
        func f(_ value: Double?) -> String { value.map(ResultTables.fixed) ?? "—" }
        return ReportBuilder.table(["verifier", "ϕ (pooled)", "ψ (pooled)", "predicted p*", "measured breakdown", "|difference|"],
                                   verifiers.map { [$0.name, f($0.phi), f($0.psi), f($0.predictedPStar), f($0.measuredBreakdown), f($0.difference)] })
    }
}
