import AssayHost
import Foundation
import Numerics
import PluginAPI

/// `assay candidates`, the analog of the paper's Table 1: can the generator
/// propose a right answer among k candidates, and can it tell which one is
/// right by its own likelihood?
///
/// The generator prepares exactly as in `assay run` with the same seed.
/// Test inputs are drawn chunk by chunk from the test streams (the same
/// inputs as a run's test set of the same size and chunk). Candidate c of
/// every input of a chunk comes from one label call on the whole chunk with
/// its own stream, (c, chunk): so candidate c is the same whatever k, the
/// first k candidates are a prefix of the first k + 1, and both columns are
/// computed once for every k from the largest. The oracle column can only
/// grow with k.
public final class CandidatesRun {
    public let config: CandidatesConfig
    private let catalog: PluginCatalog
    private let store: ResultsStore?
    private let showProgress: Bool

    /// The run's id in the store, once it has one.
    public private(set) var runID: Int64?

    public init(config: CandidatesConfig, catalog: PluginCatalog, store: ResultsStore? = nil, showProgress: Bool = true) {
        self.config = config
        self.catalog = catalog
        self.store = store
        self.showProgress = showProgress
    }

    /// Runs and, with a store, records the run: its config and generator,
    /// one metric per column and k (`candidates_oracle_k5`, …) and the
    /// result document; a failure marks the run failed.
    public func run() throws -> CandidatesResult {
        let info = try catalog.plugin(config.generator.plugin, kind: .generator,
                                      library: config.generator.library, for: "[generator]")
        runID = try store?.beginRun(seed: config.seed, configPath: config.path, source: config.source,
                                    plugins: [.init(role: "generator", id: info.id, version: info.version, file: info.file)])
        do {
            let result = try measure(info)
            if let runID, let store {
                for row in result.rows {
                    try store.record(run: runID, metric: "candidates_oracle_k\(row.k)", value: row.oracle)
                    try store.record(run: runID, metric: "candidates_self_k\(row.k)", value: row.selfSelected)
                }
                try store.record(run: runID, metric: "candidates_synthesized_accuracy", value: result.synthesizedAccuracy)
                try store.finish(run: runID, document: try result.json(pretty: false))
            }
            return result
        } catch {
            if let runID { try? store?.fail(run: runID, error: String(describing: error)) }
            throw error
        }
    }

    private func measure(_ info: PluginInfo) throws -> CandidatesResult {
        // Parallelism is over chunks, not inside BLAS.
        LinearAlgebra.useCallingThreadOnly()
        let generator = try GeneratorInstance(info: info, configJSON: config.generator.configJSON, threads: config.threads)
        try withRandom(seed: config.seed, .generatorPrepare) { try generator.prepare(rng: $0) }

        let layout = ChunkLayout(poolSize: config.testSize, chunkSize: config.chunkSize)
        let progress = showProgress ? ProgressBar("candidates", total: layout.chunkCount) : nil
        var total = CandidateTally(ks: config.ks)
        try forEachChunk(count: layout.chunkCount, threads: config.threads, progress: progress) { index in
            try self.tally(chunk: index, layout: layout, generator: generator)
        } merge: { tally in
            total.add(tally)
        }
        return CandidatesResult(
            runID: runID, seed: config.seed, testSize: config.testSize, generator: info.id, generatorVersion: info.version,
            first: config.first, synthesizedAccuracy: total.synthesizedAccuracy,
            rows: config.ks.indices.map { i in
                CandidatesResult.Row(k: config.ks[i], oracle: total.oracle[i] / Double(config.testSize),
                                     selfSelected: total.selfSelected[i] / Double(config.testSize))
            })
    }

    /// Draws one chunk of test inputs, proposes the largest k candidates for
    /// each and scores every prefix.
    private func tally(chunk index: Int, layout: ChunkLayout, generator: GeneratorInstance) throws -> CandidateTally {
        let rows = layout.rows(inChunk: index), firstRow = index * layout.chunkSize
        var x = [Double](repeating: 0, count: rows * generator.xCols)
        var truth = [Double](repeating: 0, count: rows * generator.yCols)
        try x.withUnsafeMutableBufferPointer { x in
            try truth.withUnsafeMutableBufferPointer { y in
                try withRandom(seed: config.seed, .test(chunk: index)) { try generator.draw(rng: $0, count: rows, x: x, y: y) }
            }
        }
        let count = config.ks.last!
        var similarity = [[Double]](), likelihood = [[Double]]()
        for candidate in 0..<count {
            let mode = candidate == 0 && config.first == .predict ? ASSAY_LABEL_PREDICT : ASSAY_LABEL_SYNTHESIZE
            let scored = try x.withUnsafeBufferPointer { x in
                try truth.withUnsafeBufferPointer { truth in
                    try score(candidate: candidate, chunk: index, mode: mode, x: x, truth: truth, rows: rows,
                              firstRow: firstRow, generator: generator)
                }
            }
            similarity.append(scored.similarity)
            likelihood.append(scored.likelihood)
        }
        var tally = CandidateTally(ks: config.ks)
        tally.add(similarity: similarity, likelihood: likelihood, rows: rows, synthesizedFrom: config.first == .predict ? 1 : 0)
        return tally
    }

    /// One candidate for every input of the chunk: its similarity to the
    /// truth and its log-likelihood under the generator.
    private func score(candidate: Int, chunk: Int, mode: Int, x: UnsafeBufferPointer<Double>,
                       truth: UnsafeBufferPointer<Double>, rows: Int, firstRow: Int,
                       generator: GeneratorInstance) throws -> (similarity: [Double], likelihood: [Double]) {
        var labels = [Double](repeating: 0, count: rows * generator.yCols)
        var similarity = [Double](repeating: 0, count: rows), likelihood = [Double](repeating: 0, count: rows)
        try labels.withUnsafeMutableBufferPointer { out in
            try withRandom(seed: config.seed, .candidate(candidate, chunk: chunk)) { rng in
                try generator.label(model: "generator", mode: mode, x: x, rows: rows, firstRow: firstRow, rng: rng, into: out)
            }
        }
        try labels.withUnsafeBufferPointer { labels in
            try similarity.withUnsafeMutableBufferPointer { s in
                try generator.similarity(x: x, y: labels, truth: truth, rows: rows, firstRow: firstRow, into: s)
            }
            try withBatch(rows: rows, firstRow: firstRow, x: x, xCols: generator.xCols, y: labels, yCols: generator.yCols) { batch in
                try likelihood.withUnsafeMutableBufferPointer { try generator.logLikelihood(model: "generator", batch: batch, into: $0) }
            }
        }
        if let row = likelihood.firstIndex(where: { $0.isNaN }) {
            throw AssayError("\(generator.info.id): log_likelihood of candidate \(candidate + 1) of test row \(firstRow + row) is NaN; "
                + "expected a number or −infinity")
        }
        return (similarity, likelihood)
    }
}
