import Numerics

/// Iterated retraining (`[retrain] rounds = k`; beyond the paper).
///
/// Each verifier, and "random" (no verification), is a chain: in round 1
/// the task's generator synthesizes the pool as in any run; in round r + 1
/// the model retrained on the chain's selection at the largest n' of round
/// r synthesizes a fresh pool, the chain's verifier judges it (ϕ, ψ, p*
/// re-measured against the truth), and a fresh model is trained on the
/// first n' pairs it keeps. Later rounds retrain at the largest n' only.
///
/// Every chain of a round sees the same inputs x (the round's seed fixes
/// them), so chains differ only in their labels and selection.
struct IteratedRounds {
    let experiment: Experiment
    let generator: GeneratorInstance
    let verifiers: [VerifierInstance]
    let evaluation: Evaluation
    let layout: ChunkLayout

    /// Keys a round's seed apart from the run seed's other uses.
    private static let streamTag: UInt64 = 0x726F_756E_6473  // "rounds"

    /// `first`: round 1 of every chain; `models`: each selection's kept
    /// round-1 model (absent when it kept fewer than n' pairs).
    func run(first: [RoundPoint], models: [String: String]) throws -> [RoundPoint] {
        let config = experiment.config
        let n = config.retrainSizes.last!
        let chains: [(name: String, verifier: VerifierInstance?)] = verifiers.map { ($0.name, $0) } + [("random", nil)]
        var synthesizer: [String: (model: String, accuracy: Double)] = [:]
        for point in first {
            if let model = models[point.selection], let accuracy = point.point?.accuracy {
                synthesizer[point.selection] = (model, accuracy)
            }
        }
        defer { for (model, _) in synthesizer.values { generator.forget(model: model) } }
        var points = first
        try first.forEach(record)

        let progress = experiment.progressBar("rounds", total: (config.rounds - 1) * chains.count)
        for round in 2...config.rounds {
            let seed = hashKeys(config.seed, [Self.streamTag, UInt64(round)])
            for chain in chains {
                defer { progress?.advance(by: 1) }
                guard let current = synthesizer.removeValue(forKey: chain.name) else {
                    experiment.logger.warning("\(chain.name): no round-\(round - 1) model at n' = \(n); its chain ends at round \(round - 1)")
                    continue
                }
                let source = PoolSource(generator: generator, layout: layout, seed: seed, model: current.model)
                let judges = chain.verifier.map { [$0] } ?? []
                let cuts = try experiment.topFractionCuts(verifiers: judges, source: source)
                let pool = try PoolPass(source: source, threads: config.threads, verifiers: judges, cuts: cuts, capacity: n,
                                        progress: nil).run()
                let tally = judges.isEmpty ? pool.unfilteredTally : pool.verifierTallies[0]
                let kept = judges.isEmpty ? pool.unfilteredKept : pool.verifierKept[0]
                let selection = Experiment.Selection(name: chain.name, kept: kept, labels: .synthesized)
                let (curve, next) = try experiment.retrainCurves(
                    [selection], sizes: [n], source: source, evaluation: evaluation,
                    keepLargest: round < config.rounds, progress: nil, modelPrefix: "round\(round)")[0]
                generator.forget(model: current.model)
                if let next, let accuracy = curve.first?.accuracy { synthesizer[chain.name] = (next, accuracy) }
                let point = RoundPoint(round: round, selection: chain.name, generatorAccuracy: current.accuracy,
                                       score: SelectionScore(tally), point: curve.first)
                try record(point)
                points.append(point)
            }
        }
        return points
    }

    private func record(_ point: RoundPoint) throws {
        if let run = experiment.runID, let store = experiment.store {
            try store.record(run: run, round: point)
        }
    }
}
