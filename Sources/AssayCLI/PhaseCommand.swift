import ArgumentParser
import AssayHost
import AssayStudies
import Foundation

/// `assay phase CONFIG`: sweeps a generator parameter that moves its error p
/// (e.g. the label-flip probability) over the config's [phase] grid, retrains on each verifier's selection at one
/// large n', and puts each verifier's measured breakdown point (agreement
/// with Bayes through 50 %) beside the predicted p* = 1/(1 + ψ/ϕ).
///
/// `assay phase --margin-theory CONFIG`: scores the pool once and sets the
/// analytic ϕ, ψ, p* of every margin verifier (docs/MARGIN_THEORY.md)
/// beside the measured ones.
struct PhaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Measure each verifier's breakdown point against p* over a sweep of generator error p.",
        discussion: """
            The config is a run config plus a [phase] table: parameter = "..." (a parameter the \
            generator declares, e.g. flip_p with labels = "flip"), its grid (p = [...] or from/to/step) \
            and phi_psi = "fixed" or "moving". Every grid point is stored as a run. With --margin-theory, \
            the config is an ordinary run config with a Gaussian-mixture generator (labels = "sign") and \
            margin verifiers, and the [phase] table is optional and unused.
            """
    )

    @Argument(help: "The run config (TOML) with a [phase] table.")
    var config: String

    @Flag(name: .customLong("margin-theory"), help: "Compare analytic and measured ϕ, ψ, p* of margin verifiers instead.")
    var marginTheory = false

    @OptionGroup var options: ExperimentOptions

    mutating func run() throws {
        do { try execute() } catch { throw fail(error) }
    }

    private func execute() throws {
        options.plugins.bootstrap()
        var phase = try PhaseConfig.load(path: config, requireGrid: !marginTheory, quick: options.quick)
        try options.apply(to: &phase.run)
        let store = try options.openStore()
        let catalog = PluginCatalog.discover(extraFolders: options.plugins.folders)
        if marginTheory {
            let report = try MarginTheory.run(config: phase.run, catalog: catalog, store: store, showProgress: true)
            print(options.json ? try report.json() : "run \(report.runID ?? 0) (stored in \(store.path))\n\n" + report.render())
            return
        }
        let sweep = PhaseSweep(config: phase, catalog: catalog, store: store, showProgress: false)
        let interactive = isatty(STDERR_FILENO) == 1
        let parameter = phase.parameter
        sweep.onPoint = { index, count, setting, runID in
            if interactive || options.plugins.verbose {
                let line = "phase: point \(index + 1)/\(count) (\(parameter) = \(String(format: "%.4f", setting))) done as run \(runID ?? 0)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        let result = try sweep.run()
        print(options.json ? try result.json() : "stored in \(store.path)\n\n" + PhaseTables.render(result))
    }
}
