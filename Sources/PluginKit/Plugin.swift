import PluginAPI

/// What `assay plugins --verbose` shows about a plugin.
public struct PluginDescriptor {
    public var id: String
    public var version: String
    public var summary: String
    public var needs: Needs
    public var parameters: [Parameter]

    public init(id: String, version: String, summary: String, needs: Needs = [], parameters: [Parameter] = []) {
        self.id = id
        self.version = version
        self.summary = summary
        self.needs = needs
        self.parameters = parameters
    }
}

public struct Needs: OptionSet {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let truth = Needs(rawValue: 1 << 0)
    public static let logLikelihood = Needs(rawValue: 1 << 1)
}

public struct Parameter {
    public var name: String
    /// "number", "integer", "string", "boolean", "number[]" or "table".
    public var type: String
    /// The default as JSON text; nil when required or context-dependent.
    public var defaultJSON: String?
    public var summary: String

    public init(_ name: String, _ type: String, default defaultJSON: String?, _ summary: String) {
        self.name = name
        self.type = type
        self.defaultJSON = defaultJSON
        self.summary = summary
    }
}

/// Shape of the task, as a verifier learns it in `prepare`.
public struct TaskShape {
    public var xCols: Int
    public var yCols: Int
    public var generatorID: String
}

public enum Selection {
    /// Per-sample keep bits.
    case rule
    /// Scores; the host keeps this fraction of the pool with the highest.
    case topFraction(Double)
}

public enum LabelMode {
    case synthesize
    case predict
}

/// A verifier written in Swift. `verify` may be called concurrently from
/// several threads (see the ABI header): keep it free of shared mutation.
public protocol VerifierPlugin: AnyObject {
    static var descriptor: PluginDescriptor { get }
    init(config: PluginConfig, host: HostServices) throws
    func prepare(task: TaskShape, rng: HostRandom) throws
    var selection: Selection { get }
    /// Fills `keep` (rule) or `score` (top fraction); the other is empty.
    func verify(batch: Batch, rng: HostRandom, keep: UnsafeMutableBufferPointer<UInt8>,
                score: UnsafeMutableBufferPointer<Double>) throws
}

public extension VerifierPlugin {
    func prepare(task: TaskShape, rng: HostRandom) throws {}
}

/// A generator written in Swift; see `assay_generator` for each call.
public protocol GeneratorPlugin: AnyObject {
    static var descriptor: PluginDescriptor { get }
    init(config: PluginConfig, host: HostServices) throws
    func prepare(rng: HostRandom) throws -> (xCols: Int, yCols: Int)
    func draw(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>,
              y: UnsafeMutableBufferPointer<Double>) throws
    func label(model: String, mode: LabelMode, batch: Batch, rng: HostRandom,
               into y: UnsafeMutableBufferPointer<Double>) throws
    func similarity(batch: Batch, truth: UnsafeBufferPointer<Double>,
                    into s: UnsafeMutableBufferPointer<Double>) throws
    func logLikelihood(model: String, batch: Batch, into out: UnsafeMutableBufferPointer<Double>) throws
    func fit(model: String, batch: Batch) throws
    func forget(model: String)
    func taskVector(_ name: String, into out: UnsafeMutableBufferPointer<Double>) throws
}
