import Logging

/// The retrain stage: fits a fresh model on the first n' pairs a selection
/// kept, for each n' asked, and scores it on the test set. A run's first
/// round and every iterated round after it retrain through one of these.
struct Retrainer {
    /// The rows a selection kept, for retraining.
    struct Selection {
        let name: String
        let kept: KeptRows
        let labels: TrainingSet.Labels
    }

    /// A selection's accuracy by n' (ascending), and the name of its model
    /// at the largest n' when that model is kept.
    typealias Outcome = (curve: [CurvePoint], model: String?)

    let evaluation: Evaluation
    let threads: Int
    let logger: Logger

    /// Memory the training sets of a run may take together: gathered by the
    /// pool pass, or regenerated for selections retrained side by side. A
    /// single larger set is retrained alone.
    static let trainingMemory = 1 << 30

    /// Trains a fresh model on the first n' pairs of each selection for each
    /// n' of `sizes` and evaluates it; each point is told to `measured` as
    /// soon as it is scored. Models are named `modelPrefix/selection/n'`.
    ///
    /// Selections go in groups whose pairs still to be regenerated fit in
    /// `trainingMemory` together (gathered pairs are in memory already): a
    /// group's pairs are regenerated once, and all its fits form one queue,
    /// largest first, so that no core idles while a long fit runs alone.
    /// With `keepLargest`, each selection's model at its largest n' is kept
    /// and its name returned; the others are dropped.
    func curves(_ selections: [Selection], sizes wanted: [Int], source: PoolSource, keepLargest: Bool,
                modelPrefix: String, progress: ProgressBar?,
                measured: (_ selection: String, _ point: CurvePoint) throws -> Void = { _, _ in }) throws -> [Outcome] {
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
                    ?? TrainingSet(rows: Array(kept.rows.prefix(sizes[selection].last ?? 0)), source: source, threads: threads)
            }
            let jobs = group.indices.flatMap { member in sizes[group[member]].map { (member: member, n: $0) } }
                .sorted { ($0.n, -$0.member) > ($1.n, -$1.member) }
            var fitted: [(selection: Int, n: Int)] = []
            defer {
                for (selection, n) in fitted where name(selection, n) != keptModels[selection] {
                    source.generator.forget(model: name(selection, n))
                }
            }
            try forEachChunk(count: jobs.count, threads: threads, progress: progress) { index -> (Int, Int) in
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
                try measured(selections[selection].name, point)
            }
            start = end
        }
        return zip(curves, keptModels).map { (curve: $0.sorted { $0.n < $1.n }, model: $1) }
    }
}
