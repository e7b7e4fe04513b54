import Logging
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
    let generator: GeneratorInstance
    let verifiers: [VerifierInstance]
    let layout: ChunkLayout
    /// The run's seed, from which each round's is derived.
    let seed: UInt64
    /// Rounds in all, round 1 included.
    let rounds: Int
    /// The n' every later round retrains at: the run's largest.
    let size: Int
    let threads: Int
    /// Fits and scores each round's model.
    let retrainer: Retrainer
    /// Told of every round of every chain, round 1 included.
    let recorder: RunRecorder
    let progressBar: ProgressBar.Factory
    let logger: Logger

    /// Keys a round's seed apart from the run seed's other uses.
    private static let streamTag: UInt64 = 0x726F_756E_6473  // "rounds"

    /// `first`: round 1 of every chain; `models`: each selection's kept
    /// round-1 model (absent when it kept fewer than n' pairs).
    func run(first: [RoundPoint], models: [String: String]) throws -> [RoundPoint] {
        let chains: [(name: String, verifier: VerifierInstance?)] = verifiers.map { ($0.name, $0) } + [("random", nil)]
        var synthesizer: [String: (model: String, accuracy: Double)] = [:]
        for point in first {
            if let model = models[point.selection], let accuracy = point.point?.accuracy {
                synthesizer[point.selection] = (model, accuracy)
            }
        }
        defer { for (model, _) in synthesizer.values { generator.forget(model: model) } }
        var points = first
        try first.forEach(recorder.measured(round:))

        let progress = progressBar("rounds", (rounds - 1) * chains.count)
        for round in 2...rounds {
            let roundSeed = hashKeys(seed, [Self.streamTag, UInt64(round)])
            for chain in chains {
                defer { progress?.advance(by: 1) }
                guard let current = synthesizer.removeValue(forKey: chain.name) else {
                    logger.warning("\(chain.name): no round-\(round - 1) model at n' = \(size); its chain ends at round \(round - 1)")
                    continue
                }
                let source = PoolSource(generator: generator, layout: layout, seed: roundSeed, model: current.model)
                let judges = chain.verifier.map { [$0] } ?? []
                let cuts = try TopFractionSearch.cuts(for: judges, source: source, threads: threads, progressBar: progressBar)
                let pool = try PoolPass(source: source, threads: threads, verifiers: judges, cuts: cuts, capacity: size,
                                        progress: nil).run()
                let tally = judges.isEmpty ? pool.unfilteredTally : pool.verifierTallies[0]
                let kept = judges.isEmpty ? pool.unfilteredKept : pool.verifierKept[0]
                let selection = Retrainer.Selection(name: chain.name, kept: kept, labels: .synthesized)
                let (curve, next) = try retrainer.curves(
                    [selection], sizes: [size], source: source, keepLargest: round < rounds,
                    modelPrefix: "round\(round)", progress: nil)[0]
                generator.forget(model: current.model)
                if let next, let accuracy = curve.first?.accuracy { synthesizer[chain.name] = (next, accuracy) }
                let point = RoundPoint(round: round, selection: chain.name, generatorAccuracy: current.accuracy,
                                       score: SelectionScore(tally), point: curve.first)
                try recorder.measured(round: point)
                points.append(point)
            }
        }
        return points
    }
}
