import Foundation

/// Runs every point of a sweep as an ordinary experiment, one after the
/// other, each stored as a run of one sweep in the results store.
public final class SweepRunner {
    public let plan: SweepPlan
    private let catalog: PluginCatalog
    private let store: ResultsStore?
    private let showProgress: Bool

    /// Told after each point: (index, count, label, run id).
    public var onPoint: ((Int, Int, String, Int64?) -> Void)?
    /// The id of the sweep in the store, once it has one.
    public private(set) var sweepID: Int64?

    public init(plan: SweepPlan, catalog: PluginCatalog, store: ResultsStore?, showProgress: Bool = true) {
        self.plan = plan
        self.catalog = catalog
        self.store = store
        self.showProgress = showProgress
    }

    /// Runs the points in order; a failing point stops the sweep (its run
    /// is marked failed, the runs before it stay complete).
    public func run(retrain: Bool, override: (inout RunConfig) throws -> Void = { _ in }) throws -> SweepOutcome {
        // Every point's plugins check their configs first: a bad value in
        // the last point fails the sweep before the first one runs.
        let experiments = try plan.points.enumerated().map { index, point in
            var config = point.config
            try override(&config)
            let experiment = Experiment(config: config, catalog: catalog, store: store, showProgress: showProgress)
            do {
                try experiment.check()
            } catch {
                throw AssayError("sweep point \(index + 1)/\(plan.points.count) [\(point.label)]: \(error)")
            }
            return experiment
        }
        sweepID = try store?.beginSweep(kind: "sweep", configPath: plan.file.path, config: plan.file.source,
                                        points: plan.points.count)
        var points: [SweepOutcome.Point] = []
        for (index, (point, experiment)) in zip(plan.points, experiments).enumerated() {
            experiment.sweep = sweepID.map { ResultsStore.SweepMembership(id: $0, point: point.json) }
            do {
                let result = try experiment.run(retrain: retrain)
                points.append(SweepOutcome.Point(values: Dictionary(uniqueKeysWithValues: point.assignments.map { ($0.path, $0.value) }),
                                                 result: result))
                onPoint?(index, plan.points.count, point.label, result.runID)
            } catch {
                let run = experiment.runID.map { " (run \($0), marked failed)" } ?? ""
                throw AssayError("sweep point \(index + 1)/\(plan.points.count) [\(point.label)]\(run): \(error)")
            }
        }
        return SweepOutcome(sweepID: sweepID, points: points)
    }
}
