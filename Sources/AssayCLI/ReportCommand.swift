import ArgumentParser
import AssayHost
import AssayStudies
import Foundation

/// `assay report RUN`: a self-contained HTML report (inline SVG figures,
/// tables, config and plugins) of one stored run; a point of an
/// `assay phase` sweep also gets the sweep's phase-transition figure, and a
/// run of a `[sweep]` config reports the whole sweep.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report (figures and tables) of a stored run.",
        discussion: """
            Figure 1: accuracy (relative to Bayes) against n'; Figure 2: p* per verifier with its interval \
            and the generator's error p; Figure 3, for a run of an `assay phase` sweep: agreement with \
            Bayes against p over the sweep's runs; for a run of an iterated config: accuracy by round. For a run \
            of a [sweep] config, the report covers the sweep: scaling curves per group, p* against the swept \
            value, accuracy against p* over replicated seeds, rounds, and the claims its [report] table names. \
            The file needs no network: no scripts, fonts or images.
            """
    )

    @Argument(help: "The run id (`assay results` lists them).")
    var id: Int64

    @Option(help: "Results database (default: $ASSAY_DB or results/assay.sqlite).")
    var db: String?

    @Option(name: .shortAndLong, help: "The HTML file to write (default: report-RUN.html beside the database; - for standard output).")
    var output: String?

    @Option(help: "Also write each figure as a standalone SVG file (scaling.svg, pstar.svg, phase.svg, …) into this folder.")
    var figures: String?

    mutating func run() throws {
        do { try execute() } catch { throw fail(error) }
    }

    private func execute() throws {
        let store = try ResultsStore(path: db ?? ResultsStore.defaultPath)
        guard let stored = try store.run(id: id) else {
            throw AssayError("\(store.path): no run \(id); `assay results` lists them")
        }
        let builder: Report
        if let sweep = try store.sweepRuns(containing: id), sweep.kind == "sweep" {
            builder = try SweepReport(runs: sweep.runs, checkClaims: ClaimRegistry.studies.render)
        } else {
            builder = try ReportBuilder(run: stored,
                                        supplement: try PhaseReport.supplement(try PhaseSweepRuns.runs(containing: id, store: store)))
        }
        if let figures {
            try FileManager.default.createDirectory(atPath: figures, withIntermediateDirectories: true)
            for figure in builder.figures {
                try write(figure.svg + "\n", to: figures + "/" + figure.name + ".svg")
            }
        }
        let html = builder.html()
        if output == "-" {
            print(html, terminator: "")
            return
        }
        let target = output ?? URL(fileURLWithPath: store.path).deletingLastPathComponent()
            .appendingPathComponent("report-\(id).html").path
        try write(html, to: target)
        print("wrote \(target)")
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw AssayError("\(path): cannot write (\(error.localizedDescription))")
        }
    }
}
