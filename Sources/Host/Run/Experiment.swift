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
///    each n' of the grid, and evaluated on a fresh test set.
/// 5. With `[retrain] rounds` > 1, each selection's largest model goes on
///    to synthesize its own pool, round after round (IteratedRounds).
public final class Experiment {
    public let config: RunConfig
    private let catalog: PluginCatalog
    let store: ResultsStore?
    private let showProgress: Bool
    let logger = Logger(label: "assay.run")

    public init(config: RunConfig, catalog: PluginCatalog, store: ResultsStore?, showProgress: Bool = true) {
        self.config = config
        self.catalog = catalog
        self.store = store
        self.showProgress = showProgress
    }

    /// Told of each step of each stage ("rank 1", "rank 2", "pool",
    /// "retrain") on the thread that called `run`, shown bar or not.
    public var onProgress: ((_ stage: String, _ done: Int, _ total: Int) -> Void)?

    func progressBar(_ stage: String, total: Int) -> ProgressBar? {
        guard showProgress || onProgress != nil else { return nil }
        return ProgressBar(stage, total: total, enabled: showProgress && isatty(STDERR_FILENO) == 1, report: onProgress)
    }

    /// The sweep this run is a point of, recorded with it in the store.
    public var sweep: ResultsStore.SweepMembership?

    /// The run's id in the store, once it has one.
    public private(set) var runID: Int64?

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
        runID = try store?.beginRun(config: config, plugins: records, sweep: sweep)
        do {
            let result = try execute(generatorInfo: generatorInfo, verifierInfos: verifierInfos, retrain: retrain)
            if let runID { try store?.finish(run: runID, result: result) }
            return result
        } catch {
            if let runID { try? store?.fail(run: runID, error: String(describing: error)) }
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
        let cuts = try topFractionCuts(verifiers: verifiers, source: source)
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
        if let runID, let store {
            for result in verifierResults + [random] {
                try store.record(run: runID, selection: result.name, plugin: result.plugin, score: result.score!)
            }
        }

        let evaluation = try Evaluation(generator: generator, testSize: config.testSize, chunkSize: config.chunkSize,
                                        seed: config.seed, threads: config.threads)
        let references = try evaluation.evaluate(models: evaluation.hasBayes ? ["generator", "bayes"] : ["generator"])
        let generatorScore = references[0]
        let bayes = references.count > 1 ? references[1] : nil
        let generatorSummary = GeneratorSummary(id: generatorInfo.id, version: generatorInfo.version,
                                                accuracy: generatorScore.accuracy, agreement: generatorScore.agreement,
                                                p: random.score!.p, config: config.generator.configJSON)
        if let runID, let store {
            try store.record(run: runID, metric: "generator_accuracy", value: generatorScore.accuracy)
            try store.record(run: runID, metric: "generator_agreement", value: generatorScore.agreement)
            try store.record(run: runID, metric: "generator_p", value: random.score!.p)
            try store.record(run: runID, metric: "bayes_accuracy", value: bayes?.accuracy)
        }

        var rounds: [RoundPoint]?
        if retrain {
            let selections = verifiers.indices.map { Selection(name: verifierResults[$0].name, kept: pool.verifierKept[$0], labels: .synthesized) }
                + [Selection(name: "random", kept: pool.unfilteredKept, labels: .synthesized),
                   Selection(name: "clean", kept: pool.unfilteredKept, labels: .truth)]
            let progress = progressBar("retrain", total: selections.count * config.retrainSizes.count)
            // With rounds to come, each selection's largest-n' model lives
            // on: it synthesizes that selection's pool in round 2.
            let retrained = try retrainCurves(selections, sizes: config.retrainSizes, source: source, evaluation: evaluation,
                                              keepLargest: config.rounds > 1, progress: progress)
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
                rounds = try IteratedRounds(experiment: self, generator: generator, verifiers: verifiers,
                                            evaluation: evaluation, layout: layout)
                    .run(first: first, models: models)
            }
        }

        return ExperimentResult(runID: runID, seed: config.seed, poolSize: config.poolSize, testSize: config.testSize,
                                generator: generatorSummary, bayesAccuracy: bayes?.accuracy,
                                verifiers: verifierResults, baselines: [random, clean], rounds: rounds)
    }

    /// Fixes the cut of each top-fraction verifier by scanning its scores
    /// over the pool (twice for large pools; see TopFractionSearch).
    func topFractionCuts(verifiers: [VerifierInstance], source: PoolSource) throws -> [Int: TopFractionCut] {
        var searches: [Int: TopFractionSearch] = [:]
        for (index, verifier) in verifiers.enumerated() {
            if case .topFraction(let fraction) = verifier.mode {
                searches[index] = TopFractionSearch(fraction: fraction, poolSize: source.layout.poolSize,
                                                    seed: source.seed, verifier: verifier.name)
            }
        }
        var scan = 0
        while true {
            let pending = searches.keys.filter { searches[$0]!.cut == nil }.sorted()
            if pending.isEmpty { break }
            scan += 1
            let progress = progressBar("rank \(scan)", total: source.layout.chunkCount)
            try forEachChunk(count: source.layout.chunkCount, threads: config.threads, progress: progress) { index in
                let chunk = try PoolChunk(index: index, source: source, verifiers: pending.map { verifiers[$0] })
                return (chunk.firstRow, chunk.verdicts.map { verdict -> [Double] in
                    guard case .scores(let scores) = verdict else { preconditionFailure("a top-fraction verifier judged by rule") }
                    return scores
                })
            } merge: { firstRow, scores in
                for (position, verifier) in pending.enumerated() {
                    for (offset, value) in scores[position].enumerated() {
                        searches[verifier]!.visit(row: firstRow + offset, score: value)
                    }
                }
            }
            for verifier in pending { searches[verifier]!.endScan() }
        }
        return searches.mapValues { $0.cut! }
    }

    /// The rows a selection kept, for retraining.
    struct Selection {
        let name: String
        let kept: KeptRows
        let labels: TrainingSet.Labels
    }

    /// Memory the training sets of a run may take together: gathered by the
    /// pool pass, or regenerated for selections retrained side by side. A
    /// single larger set is retrained alone.
    static let trainingMemory = 1 << 30

    /// Trains a fresh model on the first n' pairs of each selection for each
    /// n' of `sizes` and evaluates it.
    ///
    /// Selections go in groups whose pairs still to be regenerated fit in
    /// `trainingMemory` together (gathered pairs are in memory already): a
    /// group's pairs are regenerated once, and all its fits form one queue,
    /// largest first, so that no core idles while a long fit runs alone.
    /// With `keepLargest`, each selection's model at its largest n' is kept
    /// and its name returned; the others are dropped.
    func retrainCurves(_ selections: [Selection], sizes wanted: [Int], source: PoolSource, evaluation: Evaluation,
                       keepLargest: Bool, progress: ProgressBar?, modelPrefix: String = "retrain")
        throws -> [(curve: [CurvePoint], model: String?)] {
        let sizes = selections.map { selection -> [Int] in
            let sizes = wanted.filter { $0 <= selection.kept.count }
            if sizes.count < wanted.count {
                logger.warning("\(selection.name): kept \(selection.kept.count) pairs, fewer than n' = \(wanted.last!); no point beyond \(sizes.last ?? 0) (grow [pool] size)")
                progress?.advance(by: wanted.count - sizes.count)
            }
            return sizes
        }
        func name(_ selection: Int, _ n: Int) -> String { "\(modelPrefix)/\(selections[selection].name)/\(n)" }
        func bytes(_ selection: Int) -> Int {
            selections[selection].kept.pairs == nil ? (sizes[selection].last ?? 0) * TrainingSet.bytesPerRow(source.generator) : 0
        }

        // Fixed before any fit: workers read it while merges append curves.
        let keptModels = selections.indices.map { selection in
            keepLargest ? sizes[selection].last.map { name(selection, $0) } : nil
        }
        var curves = [[CurvePoint]](repeating: [], count: selections.count)
        var start = 0
        while start < selections.count {
            var end = start + 1, total = bytes(start)
            while end < selections.count, total + bytes(end) <= Self.trainingMemory {
                total += bytes(end)
                end += 1
            }
            let group = Array(start..<end)
            let pairs = try group.map { selection in
                let kept = selections[selection].kept
                return try kept.pairs
                    ?? TrainingSet(rows: Array(kept.rows.prefix(sizes[selection].last ?? 0)), source: source, threads: config.threads)
            }
            let jobs = group.indices.flatMap { member in sizes[group[member]].map { (member: member, n: $0) } }
                .sorted { ($0.n, -$0.member) > ($1.n, -$1.member) }
            var fitted: [(selection: Int, n: Int)] = []
            defer {
                for (selection, n) in fitted where name(selection, n) != keptModels[selection] {
                    source.generator.forget(model: name(selection, n))
                }
            }
            try forEachChunk(count: jobs.count, threads: config.threads, progress: progress) { index -> (Int, Int) in
                let (member, n) = jobs[index]
                let selection = group[member]
                try source.generator.fit(model: name(selection, n), x: pairs[member].x,
                                         y: pairs[member].y(selections[selection].labels), rows: n)
                return (selection, n)
            } merge: { fitted.append($0) }
            // All of the group's models in one pass over the test set.
            let scores = try evaluation.evaluate(models: fitted.map { name($0.selection, $0.n) })
            for ((selection, n), score) in zip(fitted, scores) {
                let point = CurvePoint(n: n, accuracy: score.accuracy, agreement: score.agreement)
                curves[selection].append(point)
                if let runID, let store, modelPrefix == "retrain" {
                    try store.record(run: runID, selection: selections[selection].name, point: point)
                }
            }
            start = end
        }
        return zip(curves, keptModels).map { (curve: $0.sorted { $0.n < $1.n }, model: $1) }
    }
}
