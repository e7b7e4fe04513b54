/// A verifier written in Swift: what every verifier has. A verifier also
/// conforms to `RuleVerifier` (it writes keep bits) or `ScoringVerifier`
/// (it writes scores, and the host keeps a top fraction of the pool), or to
/// both when its config picks one (then it says which in `selection`).
///
/// PluginKit's wrappers of the C calls do the checks every verifier would
/// repeat, once, before and after the plugin's code runs (VerifierTable):
/// the batch has at least one row, the task's column counts and labels; the
/// output buffer for the selection mode is there and has a value per row;
/// scores come back finite. Thrown errors become the ABI's status and
/// one-line message.
///
/// Threads: `keep` and `score` may run concurrently from several threads
/// (see the ABI header): after `prepare`, treat the instance as read-only or
/// guard what changes. Per-call buffers come from the `Scratch` each call
/// is given, which belongs to the calling thread.
public protocol VerifierPlugin: AnyObject {
    static var descriptor: PluginDescriptor { get }
    /// Reads the plugin's config; PluginKit refuses the keys it did not read.
    init(config: ConfigReader, host: HostServices) throws
    /// Called once after init, before any batch; a verifier that learns
    /// (from clean data via `host.drawClean`, say) does it here.
    func prepare(task: TaskShape, rng: HostRandom) throws
    /// How this instance selects; constant after prepare. `RuleVerifier`
    /// and `ScoringVerifier` give it; a type that is both must.
    var selection: Selection { get }
}

/// A verifier that keeps or drops each pair by a per-sample rule.
public protocol RuleVerifier: VerifierPlugin {
    /// Writes keep[i] ∈ {0, 1} for every row of the batch. The batch has at
    /// least one row, the task's columns and its labels y'; `keep` has one
    /// entry per row.
    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws
}

/// A verifier that scores each pair, higher meaning better; the host keeps
/// `fraction` of the pool with the highest scores.
public protocol ScoringVerifier: VerifierPlugin {
    /// In (0, 1]; PluginKit refuses anything else.
    var fraction: Double { get }
    /// Writes a finite score[i] for every row (PluginKit refuses a NaN or
    /// infinite one, naming the row). The batch is as for `RuleVerifier`.
    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws
}

public extension VerifierPlugin {
    func prepare(task: TaskShape, rng: HostRandom) throws {}
}

public extension RuleVerifier {
    var selection: Selection { .rule }
}

public extension ScoringVerifier {
    var selection: Selection { .topFraction(fraction) }
}

public enum Selection: Equatable {
    /// Per-sample keep bits (`RuleVerifier.keep`).
    case rule
    /// Scores (`ScoringVerifier.score`); the host keeps this fraction of
    /// the pool with the highest.
    case topFraction(Double)
}

/// Shape of the task, as a verifier learns it in `prepare`.
public struct TaskShape {
    public var xCols: Int
    public var yCols: Int
    public var generatorID: String

    public init(xCols: Int, yCols: Int, generatorID: String) {
        self.xCols = xCols
        self.yCols = yCols
        self.generatorID = generatorID
    }
}
