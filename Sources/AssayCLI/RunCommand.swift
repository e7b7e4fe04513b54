import ArgumentParser
import AssayHost
import AssayStudies
import Foundation

/// What `run` and `score` share: a config's overrides and the store.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Override the config's seed.")
    var seed: UInt64?

    @Option(help: "Override the config's thread count.")
    var threads: Int?

    @Option(help: "Results database (default: $ASSAY_DB or results/assay.sqlite).")
    var db: String?

    @Flag(help: "Print one JSON document instead of tables.")
    var json = false

    @Flag(help: "Apply the config's [quick] overrides: its small version, for a first look or a test.")
    var quick = false

    @OptionGroup var plugins: PluginOptions

    /// The command-line overrides applied to a config.
    func apply(to config: inout RunConfig) throws {
        if let seed { config.seed = seed }
        if let threads {
            guard threads >= 1 else { throw AssayError("--threads: expected at least 1, got \(threads)") }
            config.threads = threads
        }
    }

    func openStore() throws -> ResultsStore {
        try ResultsStore(path: db ?? ResultsStore.defaultPath)
    }

    func run(config path: String, retrain: Bool) throws {
        plugins.bootstrap()
        let plan = try SweepPlan(file: ConfigFile.load(path: path, quick: quick))
        // An unknown claim name fails before anything runs.
        _ = try ClaimRegistry.studies.resolve(plan.file.claims, in: plan.file.path)
        if plan.isSweep {
            return try runSweep(plan, retrain: retrain)
        }
        var config = plan.points[0].config
        try apply(to: &config)
        let store = try openStore()
        let catalog = PluginCatalog.discover(extraFolders: plugins.folders)
        let experiment = Experiment(config: config, catalog: catalog, store: store)
        do {
            let result = try experiment.run(retrain: retrain)
            print(json ? try result.json() : "run \(result.runID ?? 0) (stored in \(store.path))\n\n" + ResultTables.render(result))
            if !retrain && !json && MarginTheory.applies(to: config) {
                printMarginTheory(config, catalog: catalog)
            }
        } catch {
            if let runID = experiment.runID {
                throw AssayError("\(error) — run \(runID) is marked failed in \(store.path) with what it measured so far")
            }
            throw error
        }
    }

    /// Every point of a `[sweep]` config, then the sweep's summary and the
    /// claims its `[report]` table asks to check.
    private func runSweep(_ plan: SweepPlan, retrain: Bool) throws {
        if seed != nil, plan.file.axes.contains(where: { $0.path == "seed" }) {
            throw AssayError("--seed: \(plan.file.path) sweeps \"seed\" in [sweep]; drop one of them")
        }
        let store = try openStore()
        let runner = SweepRunner(plan: plan, catalog: PluginCatalog.discover(extraFolders: plugins.folders), store: store)
        let interactive = isatty(STDERR_FILENO) == 1
        runner.onPoint = { index, count, label, runID in
            if interactive || plugins.verbose {
                FileHandle.standardError.write(Data("sweep: point \(index + 1)/\(count) [\(label)] done as run \(runID ?? 0)\n".utf8))
            }
        }
        let outcome = try runner.run(retrain: retrain) { try apply(to: &$0) }
        if json {
            print(try SweepTables.json(outcome))
            return
        }
        print("sweep \(outcome.sweepID ?? 0): \(outcome.points.count) runs (stored in \(store.path); "
            + "`assay report` on any of them draws the sweep)\n")
        print(SweepTables.render(outcome))
        if retrain {
            print(try ClaimRegistry.studies.render(plan.file.claims, in: plan.file.path, outcome).map { "\n" + $0 }.joined())
        }
    }
}

/// Analytic beside measured ϕ, ψ, p* of the margin pruners, when the
/// formulas of docs/MARGIN_THEORY.md apply to the run; otherwise why not.
private func printMarginTheory(_ config: RunConfig, catalog: PluginCatalog) {
    do {
        let report = try MarginTheory.run(config: config, catalog: catalog, store: nil)
        print("\nMargin pruners, analytic against measured (docs/MARGIN_THEORY.md):\n\n" + report.render())
    } catch {
        print("\nAnalytic ϕ, ψ of the margin pruners not shown: \(error)")
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Generate a pool, verify it with every verifier, score them and retrain on what each kept."
    )

    @Argument(help: "The run config (TOML).")
    var config: String

    @OptionGroup var options: ExperimentOptions

    mutating func run() throws {
        do { try options.run(config: config, retrain: true) } catch { throw fail(error) }
    }
}

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Measure ϕ, ψ and p* of every verifier on one pool, without retraining; or of given pairs.",
        discussion: "With --pairs FILE, scores the pairs of FILE (one \"s q\" per line: similarity in [0, 1], keep bit 0 or 1) with no plugins, as libAssay's assay_score does."
    )

    @Argument(help: "The run config (TOML); omit with --pairs.")
    var config: String?

    @Option(help: "Score the pairs of this file instead of a pool.")
    var pairs: String?

    @OptionGroup var options: ExperimentOptions

    func validate() throws {
        guard (config == nil) != (pairs == nil) else {
            throw ValidationError("give either a run config or --pairs FILE")
        }
    }

    mutating func run() throws {
        do {
            if let pairs {
                let score = try SelectionScore(pairsFile: pairs)
                print(options.json ? try score.json() : ResultTables.scores([
                    SelectionResult(name: pairs, plugin: "pairs", version: nil, score: score, curve: [])]))
            } else {
                try options.run(config: config!, retrain: false)
            }
        } catch {
            throw fail(error)
        }
    }
}
