import PluginAPI

/// The truth behind one chunk of the pool, reachable from host services
/// through the batch's `host_context` while a verifier judges it.
public final class ChunkTruth {
    let yTrue: UnsafeBufferPointer<Double>
    let similarity: UnsafeBufferPointer<Double>
    /// The model that synthesized the batch's labels: what "generator"
    /// means to the log_likelihood service for this batch.
    let synthesizer: String

    public init(yTrue: UnsafeBufferPointer<Double>, similarity: UnsafeBufferPointer<Double>, synthesizer: String = "generator") {
        self.yTrue = yTrue
        self.similarity = similarity
        self.synthesizer = synthesizer
    }
}

/// The chunk truth a batch carries, when the host made the batch.
func truth(of batch: UnsafePointer<assay_batch>) -> ChunkTruth? {
    batch.pointee.host_context.map { Unmanaged<ChunkTruth>.fromOpaque($0).takeUnretainedValue() }
}
