import Foundation

/// The runs of one `assay phase` sweep, found again in the results store.
///
/// A sweep stores one run per grid point; each run's config is the sweep's
/// config text plus a last line `# assay phase: this run's generator flip_p
/// = X, n' = N`. The sweep of a run is every run with the same config text
/// (that line removed), seed and config path whose flip_p rises
/// monotonically through the run's id: the grid is sorted, so the next
/// sweep of the same config starts again lower and is not merged. Runs of
/// other configs written in between (another process, the same database)
/// are skipped.
public enum PhaseSweepRuns {
    static let marker = "\n# assay phase: this run's generator flip_p = "

    /// The sweep's text without the per-run line, and the run's flip_p;
    /// nil for a run that is not a grid point.
    static func parse(config: String) -> (base: String, flipP: Double)? {
        guard let range = config.range(of: marker, options: .backwards) else { return nil }
        let rest = config[range.upperBound...]
        guard let comma = rest.firstIndex(of: ","), let flipP = Double(rest[..<comma]) else { return nil }
        return (String(config[..<range.lowerBound]), flipP)
    }

    /// The completed runs of the sweep `id` belongs to, in grid order; nil
    /// when it is not a phase run.
    public static func runs(containing id: Int64, store: ResultsStore) throws -> [ResultsStore.StoredRun]? {
        guard let run = try store.run(id: id), let key = parse(config: run.config) else { return nil }
        let candidates = try store.runs().filter { $0.configPath == run.summary.configPath && $0.seed == run.summary.seed }
        var before: [ResultsStore.StoredRun] = [], after: [ResultsStore.StoredRun] = []
        var bound = key.flipP
        for summary in candidates.reversed() where summary.id < id {
            guard let other = try store.run(id: summary.id), let otherKey = parse(config: other.config),
                  otherKey.base == key.base else { continue }
            guard otherKey.flipP < bound else { break }
            bound = otherKey.flipP
            before.insert(other, at: 0)
        }
        bound = key.flipP
        for summary in candidates where summary.id > id {
            guard let other = try store.run(id: summary.id), let otherKey = parse(config: other.config),
                  otherKey.base == key.base else { continue }
            guard otherKey.flipP > bound else { break }
            bound = otherKey.flipP
            after.append(other)
        }
        return (before + [run] + after).filter { $0.result != nil }
    }

    /// Every verifier across the sweep, summarised as `assay phase` does.
    public static func verifiers(_ runs: [ResultsStore.StoredRun]) -> (n: Int, verifiers: [PhaseVerifier]) {
        let results = runs.compactMap { run in run.result.map { (parse(config: run.config)?.flipP ?? .nan, $0) } }
        let n = results.flatMap { $0.1.verifiers.flatMap { $0.curve.map(\.n) } }.max() ?? 0
        guard let first = results.first?.1 else { return (n, []) }
        let verifiers = first.verifiers.map { template in
            let points = results.compactMap { flipP, result -> PhaseVerifier.Point? in
                guard let verifier = result.verifiers.first(where: { $0.name == template.name }) else { return nil }
                return PhaseVerifier.Point(flipP: flipP, p: result.generator.p, phi: verifier.score?.phi,
                                           psi: verifier.score?.psi, kept: verifier.score?.kept ?? 0,
                                           agreement: verifier.curve.first { $0.n == n }?.agreement)
            }
            return PhaseSweep.summarize(name: template.name, plugin: template.plugin, points: points)
        }
        return (n, verifiers)
    }
}
