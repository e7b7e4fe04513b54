import Foundation

/// The report of a `[sweep]` config: every group's scaling curves, p*
/// against the swept value, accuracy against p* when seeds are replicated,
/// iterated rounds, the summary tables and the claims the config's
/// `[report]` table asks to check.
public struct SweepReport: Report {
    public let runs: [ResultsStore.StoredRun]
    public let outcome: SweepOutcome
    /// The checks of the claims the sweep's config names, as text.
    public let claimChecks: [String]

    /// `checkClaims` renders the claims a config names (`[report] claims`)
    /// on the outcome, or throws for a name it does not know; the host
    /// knows no claim (the CLI passes AssayStudies' `ClaimRegistry`).
    public init(runs: [ResultsStore.StoredRun],
                checkClaims: (_ names: [String], _ configPath: String, _ outcome: SweepOutcome) throws -> [String]) throws {
        let completed = runs.filter { $0.result != nil }
        guard let first = completed.first else {
            throw AssayError("the sweep of runs \(runs.map { String($0.summary.id) }.joined(separator: ", ")) has no completed run to report")
        }
        self.runs = completed
        outcome = try SweepOutcome(stored: completed, sweepID: first.summary.sweep?.id)
        // The sweep's own config says which claims to check.
        let names = (try? ConfigFile.parse(first.config, path: first.summary.configPath).claims) ?? []
        claimChecks = try checkClaims(names, first.summary.configPath, outcome)
    }

    public var figures: [ReportBuilder.Figure] {
        var figures: [ReportBuilder.Figure] = []
        func add(_ name: String, _ caption: String, _ svg: String) {
            figures.append(.init(name: name, caption: "Figure \(figures.count + 1). " + caption, svg: svg))
        }
        let groups = outcome.groups
        for (index, group) in groups.enumerated() {
            let replicates = group.results.count > 1 ? " Mean over \(group.results.count) seeds, bars ± one standard error." : ""
            add("scaling-\(index + 1)", "\(group.label): test accuracy (relative to Bayes when known) of a fresh model retrained "
                + "on n' pairs of each selection; dashed: random (unverified) and clean (true labels)." + replicates,
                ReportFigures.scaling(group, title: "Scaling — \(group.label)"))
        }
        if let axis = outcome.numericAxis {
            for (index, facet) in outcome.facets(along: axis).enumerated() where facet.groups.count > 1 {
                add("pstar-\(index + 1)", (facet.label.isEmpty ? "" : "\(facet.label): ")
                    + "p* = 1/(1 + ψ/ϕ) of every verifier against \(axis), with the generator's error p (red): "
                    + "a verifier above the red line can retrain past the generator.",
                    SweepFigures.breakdownPoints(facet.groups, axis: axis, facet: facet.label))
            }
        }
        for (index, group) in groups.enumerated() where group.results.count > 1 {
            add("accuracy-pstar-\(index + 1)", "\(group.label): test accuracy at each n' against the p* of the selection retrained "
                + "on, mean over \(group.results.count) seeds with ± one standard error; the red line is the generator.",
                SweepFigures.accuracyAgainstPStar(group))
        }
        for (index, group) in groups.enumerated() where group.roundCount > 1 {
            add("rounds-\(index + 1)", "\(group.label): iterated retraining — accuracy of each chain's retrained model by round.",
                SweepFigures.rounds(group))
        }
        return figures
    }

    public func html() -> String {
        let e = Markup.escape
        let ids = runs.map(\.summary.id)
        var body = "<h1>Assay sweep \(outcome.sweepID.map(String.init) ?? "")</h1>\n<p class=\"meta\">runs "
            + "\(ids.map(String.init).joined(separator: ", ")), config <code>\(e(runs[0].summary.configPath))</code></p>\n"
        for figure in figures {
            body += "<figure id=\"\(figure.name)\">\n\(figure.svg)\n<figcaption>\(e(figure.caption))</figcaption>\n</figure>\n"
        }
        body += "<h2>Summary</h2>\n<pre>\(e(SweepTables.render(outcome)))</pre>\n"
        for text in claimChecks {
            body += "<h2>Claims checked</h2>\n<pre>\(e(text))</pre>\n"
        }
        body += "<h2>Config</h2>\n<pre>\(e(runs[0].config))</pre>\n"
        return ReportBuilder.page(title: "Assay sweep \(outcome.sweepID.map(String.init) ?? "")", body: body)
    }
}
