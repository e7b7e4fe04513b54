import ArgumentParser
import AssayHost
import AssayStudies
import Foundation

struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "List past runs, or show one."
    )

    @Argument(help: "A run id to show; without it, list the runs.")
    var id: Int64?

    @Option(help: "Results database (default: $ASSAY_DB or results/assay.sqlite).")
    var db: String?

    @Flag(help: "Show the run as its JSON document.")
    var json = false

    @Flag(help: "Also print the run's config and plugins.")
    var config = false

    mutating func run() throws {
        do {
            let store = try ResultsStore(path: db ?? ResultsStore.defaultPath)
            guard let id else {
                let rows = try store.runs().map { run in
                    ["\(run.id)", run.startedAt, run.status, "\(run.seed)", run.configPath,
                     run.sweep.map { "\($0.label) (sweep \($0.id))" } ?? "", run.error ?? ""]
                }
                print(TextTable.render(header: ["run", "started", "status", "seed", "config", "sweep point", "error"], rows: rows))
                return
            }
            guard let stored = try store.run(id: id) else {
                throw AssayError("\(store.path): no run \(id); `assay results` lists them")
            }
            if json {
                guard let document = stored.document else {
                    throw AssayError("run \(id) is \(stored.summary.status): it has no complete result document")
                }
                print(try stored.result?.json() ?? document)
                return
            }
            let summary = stored.summary
            print("run \(summary.id): \(summary.status), started \(summary.startedAt), seed \(summary.seed), config \(summary.configPath)")
            if let error = summary.error { print("error: \(error)") }
            if config { print("\nplugins: \(stored.plugins)\n\n\(stored.config)") }
            print("")
            if let result = stored.result {
                print(ResultTables.render(result))
            } else if let document = stored.document {
                // A completed run whose document is not an experiment's: `assay candidates`.
                print(try CandidatesResult.decode(json: document).render())
            } else {
                // A failed or interrupted run: show what was stored.
                for (name, value) in stored.metrics { print("\(name): \(value.map { String($0) } ?? "—")") }
                let rows = stored.scores.map { entry in
                    [entry.selection, entry.plugin, "\(entry.score.kept)",
                     entry.score.phi.map { String(format: "%.4f", $0) } ?? "—",
                     entry.score.psi.map { String(format: "%.4f", $0) } ?? "—",
                     entry.score.pStar.map { String(format: "%.4f", $0) } ?? "—"]
                }
                if !rows.isEmpty { print(TextTable.render(header: ["selection", "plugin", "kept", "ϕ", "ψ", "p*"], rows: rows)) }
                for (selection, point) in stored.points {
                    print("\(selection) n'=\(point.n): accuracy \(String(format: "%.4f", point.accuracy))")
                }
            }
        } catch {
            throw fail(error)
        }
    }
}
