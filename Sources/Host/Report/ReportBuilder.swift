import Foundation

/// A self-contained HTML report of one stored run: inline CSS and SVG, no
/// scripts, fonts or other requests.
public struct ReportBuilder: Report {
    public struct Figure {
        public var name: String   // file stem: scaling, pstar, phase
        public var caption: String
        public var svg: String

        public init(name: String, caption: String, svg: String) {
            self.name = name
            self.caption = caption
            self.svg = svg
        }
    }

    /// What a study adds to the report of one of its runs (a point of an
    /// `assay phase` sweep, say): figures after the run's own two, and an
    /// HTML section, heading included, after the run's tables.
    public struct Supplement {
        public var figures: [Figure]
        public var section: String

        public init(figures: [Figure], section: String) {
            self.figures = figures
            self.section = section
        }
    }

    public let run: ResultsStore.StoredRun
    public let result: ExperimentResult
    public let supplement: Supplement?

    public init(run: ResultsStore.StoredRun, supplement: Supplement? = nil) throws {
        guard let result = run.result else {
            throw AssayError(run.summary.status == "completed"
                ? "run \(run.summary.id) is not an `assay run` experiment (`assay results \(run.summary.id)` shows it); nothing to draw"
                : "run \(run.summary.id) is \(run.summary.status): it has no complete result to report")
        }
        self.run = run
        self.result = result
        self.supplement = supplement
    }

    public var figures: [Figure] {
        let generator = String(format: "%.4f", result.generator.p)
        var figures = [
            Figure(name: "scaling", caption: "Figure 1. Test accuracy of a fresh model retrained on n' pairs kept by each verifier, "
                + "beside the unverified (random) and true-label (clean) baselines"
                + (result.bayesAccuracy == nil ? "" : ", divided by the Bayes-optimal accuracy")
                + ". Dashed horizontal lines: the generator's own accuracy and Bayes.",
                   svg: ReportFigures.scaling(result)),
            Figure(name: "pstar", caption: "Figure 2. Breakdown point p* = 1/(1 + ψ/ϕ) of every selection with its 95% interval. "
                + "The dashed line is the generator's error p = \(generator) on the pool: by the theory, a verifier with p* > p "
                + "can retrain past the generator.",
                   svg: ReportFigures.breakdownPoints(result)),
        ]
        figures += supplement?.figures ?? []
        if result.rounds != nil {
            figures.append(Figure(
                name: "rounds",
                caption: "Figure \(figures.count + 1). Iterated retraining: test accuracy of the model each chain retrained in each round "
                    + "on its largest n'; from round 2 on, the previous round's model synthesizes the chain's pool.",
                svg: SweepFigures.rounds(SweepOutcome.Group(label: "", values: [:], results: [result]))))
        }
        return figures
    }

    public func html() -> String {
        let e = Markup.escape
        let summary = run.summary
        let generator = result.generator
        var body = "<h1>Assay run \(summary.id)</h1>\n<p class=\"meta\">\(e(summary.status)), started \(e(summary.startedAt)), "
            + "seed \(summary.seed), config <code>\(e(summary.configPath))</code></p>\n"
        body += "<p>Generator <b>\(e(generator.id)) \(e(generator.version))</b>: error p = \(ResultTables.fixed(generator.p)) "
            + "on \(result.poolSize) synthesized pairs; test accuracy \(ResultTables.fixed(generator.accuracy))"
            + (generator.agreement.map { ", agreement with Bayes \(ResultTables.fixed($0))" } ?? "")
            + (result.bayesAccuracy.map { ". Bayes-optimal test accuracy \(ResultTables.fixed($0))" } ?? "")
            + " (\(result.testSize) test points).</p>\n"
        for figure in figures {
            body += "<figure id=\"\(figure.name)\">\n\(figure.svg)\n<figcaption>\(e(figure.caption))</figcaption>\n</figure>\n"
        }
        body += "<h2>ϕ, ψ and p*</h2>\n" + scoresTable()
        body += "<h2>Test accuracy by n'</h2>\n" + curvesTable()
        body += supplement?.section ?? ""
        body += "<h2>Plugins</h2>\n" + pluginsTable()
        body += "<h2>Config</h2>\n<pre>\(e(run.config))</pre>\n"
        return Self.page(title: "Assay run \(summary.id)", body: body)
    }

    /// The HTML document around a report's body: inline style, nothing fetched.
    static func page(title: String, body: String) -> String {
        """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Markup.escape(title))</title>
            <style>
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
            .meta { color: #666; }
            figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: 0.9em; color: #444; margin-top: 0.4em; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: right; }
            th:first-child, td:first-child, td.text { text-align: left; }
            td { font-variant-numeric: tabular-nums; }
            pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// An HTML table; the columns in `text` are left-aligned words, the rest numbers.
    public static func table(_ header: [String], _ rows: [[String]], text: Set<Int> = []) -> String {
        let e = Markup.escape
        var out = "<table>\n<tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { column, cell in
                "<td\(text.contains(column) ? " class=\"text\"" : "")>\(e(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    func scoresTable() -> String {
        let rows = (result.verifiers + result.baselines).compactMap { selection -> [String]? in
            guard let score = selection.score else { return nil }
            return [selection.name, selection.plugin, "\(score.kept)",
                    ResultTables.withInterval(score.phi, score.phiInterval),
                    ResultTables.withInterval(score.psi, score.psiInterval),
                    ResultTables.withInterval(score.pStar, score.pStarInterval)]
        }
        return Self.table(["selection", "plugin", "kept", "ϕ [95% CI]", "ψ [95% CI]", "p* [95% CI]"], rows, text: [1])
    }

    func curvesTable() -> String {
        let sizes = Array(Set((result.verifiers + result.baselines).flatMap { $0.curve.map(\.n) })).sorted()
        let rows = (result.verifiers + result.baselines).map { selection in
            [selection.name] + sizes.map { n in selection.curve.first { $0.n == n }.map { ResultTables.fixed($0.accuracy) } ?? "—" }
        }
        return Self.table(["selection"] + sizes.map { "n'=\($0)" }, rows)
    }

    func pluginsTable() -> String {
        guard let records = try? JSONDecoder().decode([ResultsStore.PluginRecord].self, from: Data(run.plugins.utf8)) else {
            return "<pre>\(Markup.escape(run.plugins))</pre>\n"
        }
        return Self.table(["role", "id", "version", "file"], records.map { [$0.role, $0.id, $0.version, $0.file] }, text: [1, 2, 3])
    }
}
