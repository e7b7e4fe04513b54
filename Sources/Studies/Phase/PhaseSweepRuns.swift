import AssayHost
import Foundation

/// The runs of one `assay phase` sweep, found again in the results store:
/// a sweep of kind "phase" whose every run records its generator setting
/// (`{"generator.<parameter>": value}`, e.g. `{"generator.flip_p": 0.25}`).
public enum PhaseSweepRuns {
    static let kind = "phase"

    /// A run's sweep point, as the store keeps it.
    static func point(_ parameter: String, _ value: Double) -> String {
        let data = try? JSONSerialization.data(withJSONObject: ["generator." + parameter: value], options: [.sortedKeys])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    /// The run's setting and which parameter it is.
    static func setting(of run: ResultsStore.StoredRun) -> (parameter: String, value: Double)? {
        guard let json = run.summary.sweep?.point,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              object.count == 1, let (path, raw) = object.first, path.hasPrefix("generator."),
              case let parameter = String(path.dropFirst("generator.".count)),
              let value = (raw as? NSNumber)?.doubleValue else { return nil }
        return (parameter, value)
    }

    /// The completed runs of the phase sweep `id` belongs to, in grid
    /// order; nil when it is not a phase run.
    public static func runs(containing id: Int64, store: ResultsStore) throws -> [ResultsStore.StoredRun]? {
        guard let sweep = try store.sweepRuns(containing: id), sweep.kind == kind else { return nil }
        return sweep.runs.filter { $0.result != nil && setting(of: $0) != nil }
            .sorted { setting(of: $0)!.value < setting(of: $1)!.value }
    }

    /// Every verifier across the sweep, summarised as `assay phase` does
    /// (with the `[phase] phi_psi` of the sweep's stored config).
    public static func verifiers(_ runs: [ResultsStore.StoredRun]) throws -> (n: Int, verifiers: [PhaseVerifier]) {
        let results = runs.compactMap { run in run.result.map { (setting(of: run)?.value ?? .nan, $0) } }
        let poolPhiPsi = try runs.first.map {
            try PhaseConfig.parse($0.config, path: $0.summary.configPath, requireGrid: false).phiPsi == .fixed
        } ?? true
        let n = results.flatMap { $0.1.verifiers.flatMap { $0.curve.map(\.n) } }.max() ?? 0
        guard let first = results.first?.1 else { return (n, []) }
        let verifiers = first.verifiers.map { template in
            let points = results.compactMap { setting, result -> PhaseVerifier.Point? in
                guard let verifier = result.verifiers.first(where: { $0.name == template.name }) else { return nil }
                return PhaseVerifier.Point(setting: setting, p: result.generator.p, phi: verifier.score?.phi,
                                           psi: verifier.score?.psi, kept: verifier.score?.kept ?? 0,
                                           agreement: verifier.curve.first { $0.n == n }?.agreement)
            }
            return PhaseSweep.summarize(name: template.name, plugin: template.plugin, points: points, poolPhiPsi: poolPhiPsi)
        }
        return (n, verifiers)
    }
}
