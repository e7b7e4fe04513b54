import ArgumentParser
import AssayHost
import AssayStudies
import Foundation

/// `assay candidates CONFIG`: the paper's Table 1 for any generator. Per
/// candidate count k, the accuracy of the best of k candidates as the
/// truth picks it, and of the one the generator's own likelihood picks.
struct CandidatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidates",
        abstract: "Accuracy of the best of k candidates, picked by the truth (oracle) and by the generator's likelihood.",
        discussion: """
            The config names a generator and a [candidates] table (k = [1, 5, 10, 25, 50], size, \
            chunk, first), and may carry a [quick] table for --quick; see configs/eigen.toml. The \
            generator prepares as in `assay run` with the same seed. The run is stored like any \
            other (`assay results RUN` shows it again).
            """
    )

    @Argument(help: "The candidates config (TOML).")
    var config: String

    @OptionGroup var options: ExperimentOptions

    mutating func run() throws {
        do { try execute() } catch { throw fail(error) }
    }

    private func execute() throws {
        options.plugins.bootstrap()
        var config = try CandidatesConfig.load(path: self.config, quick: options.quick)
        if let seed = options.seed { config.seed = seed }
        if let threads = options.threads {
            guard threads >= 1 else { throw AssayError("--threads: expected at least 1, got \(threads)") }
            config.threads = threads
        }
        let interactive = isatty(STDERR_FILENO) == 1
        if interactive {
            FileHandle.standardError.write(Data("candidates: preparing generator \(config.generator.plugin) (it may train a model first)\n".utf8))
        }
        let catalog = PluginCatalog.discover(extraFolders: options.plugins.folders)
        let store = try options.openStore()
        let candidates = CandidatesRun(config: config, catalog: catalog, store: store, showProgress: interactive)
        do {
            let result = try candidates.run()
            print(options.json ? try result.json() : "run \(result.runID ?? 0) (stored in \(store.path))\n\n" + result.render())
        } catch {
            if let runID = candidates.runID {
                throw AssayError("\(error) — run \(runID) is marked failed in \(store.path)")
            }
            throw error
        }
    }
}
