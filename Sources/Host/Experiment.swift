import COpenBLAS
import Foundation
import Logging
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
public final class Experiment {
    public let config: RunConfig
    private let catalog: PluginCatalog
    private let store: ResultsStore?
    private let showProgress: Bool
    private let logger = Logger(label: "assay.run")

    public init(config: RunConfig, catalog: PluginCatalog, store: ResultsStore?, showProgress: Bool = true) {
        self.config = config
        self.catalog = catalog
        self.store = store
        self.showProgress = showProgress
    }

    /// Told of each step of each stage ("rank 1", "rank 2", "pool",
    /// "retrain") on the thread that called `run`, shown bar or not.
    public var onProgress: ((_ stage: String, _ done: Int, _ total: Int) -> Void)?

    private func progressBar(_ stage: String, total: Int) -> ProgressBar? {
        guard showProgress || onProgress != nil else { return nil }
        return ProgressBar(stage, total: total, enabled: showProgress && isatty(STDERR_FILENO) == 1, report: onProgress)
    }

    /// The run's id in the store, once it has one.
    public private(set) var runID: Int64?

    /// Runs everything; with `retrain` false, stops after scoring the pool.
    public func run(retrain: Bool = true) throws -> ExperimentResult {
        let generatorInfo = try catalog.plugin(config.generator.plugin, kind: .generator,
                                               library: config.generator.library, for: "[generator]")
        let verifierInfos = try config.verifiers.map { spec in
            try catalog.plugin(spec.plugin, kind: .verifier, library: spec.library, for: "verifier \"\(spec.name)\"")
        }
        let records = [ResultsStore.PluginRecord(role: "generator", id: generatorInfo.id, version: generatorInfo.version, file: generatorInfo.file)]
            + zip(config.verifiers, verifierInfos).map { spec, info in
                ResultsStore.PluginRecord(role: spec.name, id: info.id, version: info.version, file: info.file)
            }
        runID = try store?.beginRun(config: config, plugins: records)
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
        // Parallelism is ours (chunks, fits): a second layer inside BLAS
        // would oversubscribe the cores, and could change how its sums are
        // split, and so their last bits, with the thread count.
        openblas_set_num_threads(1)

        // Every instance is created before any is prepared, so that a bad
        // config fails before any work is done.
        let generator = try GeneratorInstance(info: generatorInfo, configJSON: config.generator.configJSON)
        let verifiers = try zip(config.verifiers, verifierInfos).map { spec, info in
            try VerifierInstance(info: info, name: spec.name, configJSON: spec.configJSON, generator: generator)
        }
        try withRandom(seed: config.seed, .generatorPrepare) { try generator.prepare(rng: $0) }
        for verifier in verifiers {
            try withRandom(seed: config.seed, .verifierPrepare(verifier.name)) { try verifier.prepare(task: generator, rng: $0) }
        }

        let layout = ChunkLayout(poolSize: config.poolSize, chunkSize: config.chunkSize)
        let cuts = try topFractionCuts(verifiers: verifiers, generator: generator, layout: layout)
        let pool = try PoolPass(config: config, layout: layout, generator: generator, verifiers: verifiers, cuts: cuts,
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
                                        seed: config.seed)
        let generatorScore = try evaluation.evaluate(model: "generator")
        let bayes = evaluation.hasBayes ? try evaluation.evaluate(model: "bayes") : nil
        let generatorSummary = GeneratorSummary(id: generatorInfo.id, version: generatorInfo.version,
                                                accuracy: generatorScore.accuracy, agreement: generatorScore.agreement,
                                                p: random.score!.p)
        if let runID, let store {
            try store.record(run: runID, metric: "generator_accuracy", value: generatorScore.accuracy)
            try store.record(run: runID, metric: "generator_agreement", value: generatorScore.agreement)
            try store.record(run: runID, metric: "generator_p", value: random.score!.p)
            try store.record(run: runID, metric: "bayes_accuracy", value: bayes?.accuracy)
        }

        if retrain {
            let unfiltered = Array(0..<min(config.poolSize, config.retrainSizes.last!))
            let selections = verifiers.indices.map { Selection(name: verifierResults[$0].name, rows: pool.verifierKept[$0].rows, labels: .synthesized) }
                + [Selection(name: "random", rows: unfiltered, labels: .synthesized),
                   Selection(name: "clean", rows: unfiltered, labels: .truth)]
            let curves = try retrainCurves(selections: selections, generator: generator, layout: layout, evaluation: evaluation)
            for index in verifierResults.indices { verifierResults[index].curve = curves[index] }
            random.curve = curves[verifiers.count]
            clean.curve = curves[verifiers.count + 1]
        }

        return ExperimentResult(runID: runID, seed: config.seed, poolSize: config.poolSize, testSize: config.testSize,
                                generator: generatorSummary, bayesAccuracy: bayes?.accuracy,
                                verifiers: verifierResults, baselines: [random, clean])
    }

    /// Fixes the cut of each top-fraction verifier by scanning its scores
    /// over the pool (twice for large pools; see TopFractionSearch).
    private func topFractionCuts(verifiers: [VerifierInstance], generator: GeneratorInstance,
                                 layout: ChunkLayout) throws -> [Int: TopFractionCut] {
        var searches: [Int: TopFractionSearch] = [:]
        for (index, verifier) in verifiers.enumerated() {
            if case .topFraction(let fraction) = verifier.mode {
                searches[index] = TopFractionSearch(fraction: fraction, poolSize: config.poolSize,
                                                    seed: config.seed, verifier: verifier.name)
            }
        }
        var scan = 0
        while true {
            let pending = searches.keys.filter { searches[$0]!.cut == nil }.sorted()
            if pending.isEmpty { break }
            scan += 1
            let progress = progressBar("rank \(scan)", total: layout.chunkCount)
            try forEachChunk(count: layout.chunkCount, threads: config.threads, progress: progress) { index in
                let chunk = try PoolChunk(index: index, layout: layout, generator: generator, seed: config.seed)
                return (chunk.firstRow, try pending.map { try chunk.scores(by: verifiers[$0], seed: config.seed) })
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
    private struct Selection {
        let name: String
        let rows: [Int]
        let labels: TrainingSet.Labels
    }

    /// Trains a fresh model on the first n' pairs of each selection for each
    /// n' of the grid and evaluates it. One selection's pairs are in memory
    /// at a time; its fits run on all threads.
    private func retrainCurves(selections: [Selection], generator: GeneratorInstance, layout: ChunkLayout,
                               evaluation: Evaluation) throws -> [[CurvePoint]] {
        let progress = progressBar("retrain", total: selections.count * config.retrainSizes.count)
        return try selections.map { selection in
            let sizes = config.retrainSizes.filter { $0 <= selection.rows.count }
            if sizes.count < config.retrainSizes.count {
                logger.warning("\(selection.name): kept \(selection.rows.count) pairs, fewer than n' = \(config.retrainSizes.last!); no point beyond \(sizes.last ?? 0) (grow [pool] size)")
                progress?.advance(by: config.retrainSizes.count - sizes.count)
            }
            let pairs = try TrainingSet(rows: Array(selection.rows.prefix(sizes.last ?? 0)), labels: selection.labels,
                                        layout: layout, generator: generator, seed: config.seed, threads: config.threads)
            // Largest first: the big fits then share a wave with smaller ones
            // instead of running alone after them.
            let order = Array(sizes.reversed())
            var curve: [CurvePoint] = []
            try forEachChunk(count: order.count, threads: config.threads, progress: progress) { index -> CurvePoint in
                let n = order[index]
                let model = "retrain/\(selection.name)/\(n)"
                try pairs.x.withUnsafeBufferPointer { x in
                    try pairs.y.withUnsafeBufferPointer { y in
                        try generator.fit(model: model, x: x, y: y, rows: n)
                    }
                }
                defer { generator.forget(model: model) }
                let score = try evaluation.evaluate(model: model)
                return CurvePoint(n: n, accuracy: score.accuracy, agreement: score.agreement)
            } merge: { point in
                curve.append(point)
                if let runID, let store {
                    try store.record(run: runID, selection: selection.name, point: point)
                }
            }
            return curve.sorted { $0.n < $1.n }
        }
    }
}
