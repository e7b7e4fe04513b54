import Foundation

/// The runs of one `assay phase` sweep, found again in the results store:
/// a sweep of kind "phase" whose every run records its generator flip_p.
public enum PhaseSweepRuns {
    static let kind = "phase"
    static let path = "generator.flip_p"

    /// A run's sweep point, as the store keeps it.
    static func point(flipP: Double) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [path: flipP], options: [.sortedKeys])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    static func flipP(of run: ResultsStore.StoredRun) -> Double? {
        guard let json = run.summary.sweep?.point,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return (object[path] as? NSNumber)?.doubleValue
    }

    /// The completed runs of the phase sweep `id` belongs to, in grid
    /// order; nil when it is not a phase run.
    public static func runs(containing id: Int64, store: ResultsStore) throws -> [ResultsStore.StoredRun]? {
        guard let sweep = try store.sweepRuns(containing: id), sweep.kind == kind else { return nil }
        return sweep.runs.filter { $0.result != nil && flipP(of: $0) != nil }
            .sorted { flipP(of: $0)! < flipP(of: $1)! }
    }

    /// Every verifier across the sweep, summarised as `assay phase` does.
    public static func verifiers(_ runs: [ResultsStore.StoredRun]) -> (n: Int, verifiers: [PhaseVerifier]) {
        let results = runs.compactMap { run in run.result.map { (flipP(of: run) ?? .nan, $0) } }
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
