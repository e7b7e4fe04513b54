import Foundation
import Logging
import Numerics
import PluginAPI

/// generate → verify → retrain for one run config.
///
/// 1. The generator prepares (trains its own model from clean data).
/// 2. Top-fraction verifiers score the whole pool once, to fix their cut.
/// 3. One pass over the pool, chunk by chunk on all threads: every verifier
///    judges the same pairs; ϕ, ψ, p* are tallied; the first n'max kept
///    pairs of each selection are retained.
/// 4. A fresh model is trained on n' retained pairs of each selection, for
///    each n' of the grid, and evaluated on a fresh test set (Retrainer).
/// 5. With `[retrain] rounds` > 1, each selection's largest model goes on
///    to synthesize its own pool, round after round (IteratedRounds).
///
/// Everything measured is told to the run's recorder as soon as it exists.
public final class Experiment {
    public let config: RunConfig
    private let catalog: PluginCatalog
    private let recorder: RunRecorder
    private let showProgress: Bool
    private let logger = Logger(label: "assay.run")

    /// A run that reports what it measures to `recorder`.
    public init(config: RunConfig, catalog: PluginCatalog, recorder: RunRecorder, showProgress: Bool = true) {
        self.config = config
        self.catalog = catalog
        self.recorder = recorder
        self.showProgress = showProgress
    }

    /// A run recorded in `store`, or recorded nowhere without one.
    public convenience init(config: RunConfig, catalog: PluginCatalog, store: ResultsStore?, showProgress: Bool = true) {
        self.init(config: config, catalog: catalog, recorder: store.map(StoreRecorder.init) ?? DiscardingRecorder(),
                  showProgress: showProgress)
    }

    /// Told of each step of each stage ("rank 1", "rank 2", "pool",
    /// "retrain", "rounds") on the thread that called `run`, shown bar or not.
    public var onProgress: ((_ stage: String, _ done: Int, _ total: Int) -> Void)?

    private func progressBar(_ stage: String, total: Int) -> ProgressBar? {
        guard showProgress || onProgress != nil else { return nil }
        return ProgressBar(stage, total: total, enabled: showProgress && isatty(STDERR_FILENO) == 1, report: onProgress)
    }

    /// The sweep this run is a point of, recorded with it in the store.
    public var sweep: ResultsStore.SweepMembership?

    /// The run's id in the store, once it has one.
    public var runID: Int64? { recorder.runID }

    /// The config's plugins, found in the catalog.
    private func plugins() throws -> (generator: PluginInfo, verifiers: [PluginInfo]) {
        let generatorInfo = try catalog.plugin(config.generator.plugin, kind: .generator,
                                               library: config.generator.library, for: "[generator]")
        let verifierInfos = try config.verifiers.map { spec in
            try catalog.plugin(spec.plugin, kind: .verifier, library: spec.library, for: "verifier \"\(spec.name)\"")
        }
        return (generatorInfo, verifierInfos)
    }

    /// Every instance of the run, created but not prepared: the plugins
    /// check their configs here, before any work is done.
    private func instances(_ plugins: (generator: PluginInfo, verifiers: [PluginInfo])) throws
        -> (generator: GeneratorInstance, verifiers: [VerifierInstance]) {
        let generator = try GeneratorInstance(info: plugins.generator, configJSON: config.generator.configJSON, threads: config.threads)
        let verifiers = try zip(config.verifiers, plugins.verifiers).map { spec, info in
            try VerifierInstance(info: info, name: spec.name, configJSON: spec.configJSON, generator: generator)
        }
        return (generator, verifiers)
    }

    /// Finds the plugins and lets each check its config, without running:
    /// how a sweep rejects a bad point before running the good ones.
    public func check() throws {
        _ = try instances(plugins())
    }

    /// Runs everything; with `retrain` false, stops after scoring the pool.
    public func run(retrain: Bool = true) throws -> ExperimentResult {
        let (generatorInfo, verifierInfos) = try plugins()
        let records = [ResultsStore.PluginRecord(role: "generator", id: generatorInfo.id, version: generatorInfo.version, file: generatorInfo.file)]
            + zip(config.verifiers, verifierInfos).map { spec, info in
                ResultsStore.PluginRecord(role: spec.name, id: info.id, version: info.version, file: info.file)
            }
        try recorder.runStarted(config: config, plugins: records, sweep: sweep)
        do {
            let result = try execute(generatorInfo: generatorInfo, verifierInfos: verifierInfos, retrain: retrain)
            try recorder.runFinished(result)
            return result
        } catch {
            do {
                try recorder.runFailed(error)
            } catch let recording {
                throw AssayError("\(error) (and the run could not be marked failed: \(recording))")
            }
            throw error
        }
    }

    private func execute(generatorInfo: PluginInfo, verifierInfos: [PluginInfo], retrain: Bool) throws -> ExperimentResult {
        // Parallelism is ours (chunks, fits), not BLAS's.
        LinearAlgebra.useCallingThreadOnly()

        // Every instance is created before any is prepared, so that a bad
        // config fails before any work is done.
        let (generator, verifiers) = try instances((generatorInfo, verifierInfos))
        try withRandom(seed: config.seed, .generatorPrepare) { try generator.prepare(rng: $0) }
        for verifier in verifiers {
            try withRandom(seed: config.seed, .verifierPrepare(verifier.name)) { try verifier.prepare(task: generator, rng: $0) }
        }

        let layout = ChunkLayout(poolSize: config.poolSize, chunkSize: config.chunkSize)
        let source = PoolSource(generator: generator, layout: layout, seed: config.seed)
        let cuts = try TopFractionSearch.cuts(for: verifiers, source: source, threads: config.threads, progressBar: progressBar)
        let pool = try PoolPass(source: source, threads: config.threads, verifiers: verifiers, cuts: cuts,
                                capacity: retrain ? config.retrainSizes.last! : 0,
                                progress: progressBar("pool", total: layout.chunkCount)).run()

        var verifierResults = zip(verifiers, pool.verifierTallies).map { verifier, tally in
            SelectionResult(name: verifier.name, plugin: verifier.info.id, version: verifier.info.version,
                            score: SelectionScore(tally), curve: [])
        }
        var random = SelectionResult(name: "random", plugin: "baseline", version: nil,
                                     score: SelectionScore(pool.unfilteredTally), curve: [])
        var clean = SelectionResult(name: "clean", plugin: "baseline", version: nil, score: nil, curve: [])
        for result in verifierResults + [random] {
            try recorder.measured(selection: result.name, plugin: result.plugin, score: result.score!)
        }

        let evaluation = try Evaluation(generator: generator, testSize: config.testSize, chunkSize: config.chunkSize,
                                        seed: config.seed, threads: config.threads)
        let references = try evaluation.evaluate(models: evaluation.hasBayes ? ["generator", "bayes"] : ["generator"])
        let generatorScore = references[0]
        let bayes = references.count > 1 ? references[1] : nil
        let generatorSummary = GeneratorSummary(id: generatorInfo.id, version: generatorInfo.version,
                                                accuracy: generatorScore.accuracy, agreement: generatorScore.agreement,
                                                p: random.score!.p, config: config.generator.configJSON)
        try recorder.measured(generator: generatorSummary, bayesAccuracy: bayes?.accuracy)

        var rounds: [RoundPoint]?
        if retrain {
            let retrainer = Retrainer(evaluation: evaluation, threads: config.threads, logger: logger)
            let selections = verifiers.indices.map {
                Retrainer.Selection(name: verifierResults[$0].name, kept: pool.verifierKept[$0], labels: .synthesized)
            } + [Retrainer.Selection(name: "random", kept: pool.unfilteredKept, labels: .synthesized),
                 Retrainer.Selection(name: "clean", kept: pool.unfilteredKept, labels: .truth)]
            let progress = progressBar("retrain", total: selections.count * config.retrainSizes.count)
            // With rounds to come, each selection's largest-n' model lives
            // on: it synthesizes that selection's pool in round 2.
            let retrained = try retrainer.curves(selections, sizes: config.retrainSizes, source: source,
                                                 keepLargest: config.rounds > 1, modelPrefix: "retrain", progress: progress,
                                                 measured: recorder.retrained(selection:point:))
            let curves = retrained.map(\.curve)
            var models: [String: String] = [:]
            for (selection, outcome) in zip(selections, retrained) { models[selection.name] = outcome.model }
            for index in verifierResults.indices { verifierResults[index].curve = curves[index] }
            random.curve = curves[verifiers.count]
            clean.curve = curves[verifiers.count + 1]
            if config.rounds > 1 {
                let first = (verifierResults + [random]).map { result in
                    RoundPoint(round: 1, selection: result.name, generatorAccuracy: generatorScore.accuracy,
                               score: result.score, point: result.curve.last(where: { $0.n == config.retrainSizes.last! }))
                }
                rounds = try IteratedRounds(generator: generator, verifiers: verifiers, layout: layout, seed: config.seed,
                                            rounds: config.rounds, size: config.retrainSizes.last!, threads: config.threads,
                                            retrainer: retrainer, recorder: recorder, progressBar: progressBar, logger: logger)
                    .run(first: first, models: models)
            }
        }

        return ExperimentResult(runID: runID, seed: config.seed, poolSize: config.poolSize, testSize: config.testSize,
                                generator: generatorSummary, bayesAccuracy: bayes?.accuracy,
                                verifiers: verifierResults, baselines: [random, clean], rounds: rounds)
    }
}
