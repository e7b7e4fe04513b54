/// Records a run in the results store: each measurement is written as it
/// is told, under the run's id.
public final class StoreRecorder: RunRecorder {
    public let store: ResultsStore
    public private(set) var runID: Int64?

    public init(store: ResultsStore) {
        self.store = store
    }

    /// The id of the run being recorded; a call before `runStarted` is a
    /// bug of the caller, not of the run.
    private var run: Int64 {
        guard let runID else { preconditionFailure("a run's measurement was recorded before the run started") }
        return runID
    }

    public func runStarted(config: RunConfig, plugins: [ResultsStore.PluginRecord], sweep: ResultsStore.SweepMembership?) throws {
        runID = try store.beginRun(config: config, plugins: plugins, sweep: sweep)
    }

    public func measured(selection: String, plugin: String, score: SelectionScore) throws {
        try store.record(run: run, selection: selection, plugin: plugin, score: score)
    }

    public func measured(generator: GeneratorSummary, bayesAccuracy: Double?) throws {
        try store.record(run: run, metric: "generator_accuracy", value: generator.accuracy)
        try store.record(run: run, metric: "generator_agreement", value: generator.agreement)
        try store.record(run: run, metric: "generator_p", value: generator.p)
        try store.record(run: run, metric: "bayes_accuracy", value: bayesAccuracy)
    }

    public func retrained(selection: String, point: CurvePoint) throws {
        try store.record(run: run, selection: selection, point: point)
    }

    public func measured(round: RoundPoint) throws {
        try store.record(run: run, round: round)
    }

    public func runFinished(_ result: ExperimentResult) throws {
        try store.finish(run: run, result: result)
    }

    public func runFailed(_ error: Error) throws {
        // A run that failed before the store gave it an id has no record to mark.
        guard let runID else { return }
        try store.fail(run: runID, error: String(describing: error))
    }
}
