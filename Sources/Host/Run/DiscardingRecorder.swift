/// The recorder of a run without a results store: it keeps nothing and
/// gives the run no id (the result document then has no "run_id").
public final class DiscardingRecorder: RunRecorder {
    public init() {}

    public var runID: Int64? { nil }
    public func runStarted(config: RunConfig, plugins: [ResultsStore.PluginRecord], sweep: ResultsStore.SweepMembership?) {}
    public func measured(selection: String, plugin: String, score: SelectionScore) {}
    public func measured(generator: GeneratorSummary, bayesAccuracy: Double?) {}
    public func retrained(selection: String, point: CurvePoint) {}
    public func measured(round: RoundPoint) {}
    public func runFinished(_ result: ExperimentResult) {}
    public func runFailed(_ error: Error) {}
}
