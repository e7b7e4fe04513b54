/// Where a run reports what it measures, the moment it has it, so that a
/// run that fails half-way leaves what it had measured: the results store
/// records it (StoreRecorder); a run without a store reports to a
/// DiscardingRecorder.
///
/// A recorder records one run at a time: `runStarted` begins a run's record,
/// every later call adds to it until `runFinished` or `runFailed`.
public protocol RunRecorder: AnyObject {
    /// The id of the run being recorded, once started; nil where the
    /// record gives runs no ids.
    var runID: Int64? { get }

    /// A run starts with its config and the plugins it found; `sweep`
    /// places it in a sweep.
    func runStarted(config: RunConfig, plugins: [ResultsStore.PluginRecord], sweep: ResultsStore.SweepMembership?) throws

    /// ϕ, ψ and p* of a verifier's selection (or a baseline's) on the pool.
    func measured(selection: String, plugin: String, score: SelectionScore) throws

    /// The generator's own test accuracy, its labels' error p on the pool,
    /// and the Bayes-optimal accuracy when the task has one.
    func measured(generator: GeneratorSummary, bayesAccuracy: Double?) throws

    /// A fresh model retrained on a selection's first n' pairs, evaluated.
    func retrained(selection: String, point: CurvePoint) throws

    /// One chain of iterated retraining in one round.
    func measured(round: RoundPoint) throws

    /// The run completed with `result`, its JSON document.
    func runFinished(_ result: ExperimentResult) throws

    /// The run stopped with `error`; what it recorded before stays.
    func runFailed(_ error: Error) throws
}
