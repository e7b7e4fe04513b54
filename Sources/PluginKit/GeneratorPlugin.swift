/// A generator written in Swift; see `assay_generator` for each call.
///
/// PluginKit's wrappers (GeneratorTable) size every output buffer from the
/// shape `prepare` returned and check each batch's columns against it
/// before the plugin's code runs: x has `xCols` columns, and the batches of
/// `similarity`, `logLikelihood` and `fit` carry labels of `yCols`. Batch
/// calls on zero rows return without calling the plugin; `fit` is called
/// with any batch, so the plugin decides what an empty one means.
public protocol GeneratorPlugin: AnyObject {
    static var descriptor: PluginDescriptor { get }
    /// Reads the plugin's config; PluginKit refuses the keys it did not read.
    init(config: ConfigReader, host: HostServices) throws
    func prepare(rng: HostRandom) throws -> (xCols: Int, yCols: Int)
    /// x: count × xCols, y: count × yCols.
    func draw(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>,
              y: UnsafeMutableBufferPointer<Double>) throws
    /// y: rows × yCols.
    func label(model: String, mode: LabelMode, batch: Batch, rng: HostRandom,
               into y: UnsafeMutableBufferPointer<Double>) throws
    /// truth: rows × yCols; s: rows. The host checks that s is in [0, 1].
    func similarity(batch: Batch, truth: UnsafeBufferPointer<Double>,
                    into s: UnsafeMutableBufferPointer<Double>) throws
    /// out: rows.
    func logLikelihood(model: String, batch: Batch, into out: UnsafeMutableBufferPointer<Double>) throws
    func fit(model: String, batch: Batch) throws
    func forget(model: String)
    func taskVector(_ name: String, into out: UnsafeMutableBufferPointer<Double>) throws
}

public enum LabelMode {
    case synthesize
    case predict
}
