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

/// Presents host buffers to a plugin as an `assay_batch` for one call.
public func withBatch<Result>(rows: Int, firstRow: Int, x: UnsafeBufferPointer<Double>, xCols: Int,
                       y: UnsafeBufferPointer<Double>?, yCols: Int, truth: ChunkTruth? = nil,
                       _ body: (UnsafePointer<assay_batch>) throws -> Result) rethrows -> Result {
    precondition(x.count >= rows * xCols && (y?.count ?? rows * yCols) >= rows * yCols)
    var batch = assay_batch(
        struct_size: UInt32(MemoryLayout<assay_batch>.size),
        reserved: 0,
        rows: UInt64(rows),
        first_row: UInt64(firstRow),
        x: x.baseAddress,
        x_cols: UInt64(xCols),
        y: y?.baseAddress,
        y_cols: UInt64(yCols),
        host_context: truth.map { Unmanaged.passUnretained($0).toOpaque() }
    )
    return try withExtendedLifetime(truth) { try body(&batch) }
}

func truth(of batch: UnsafePointer<assay_batch>) -> ChunkTruth? {
    batch.pointee.host_context.map { Unmanaged<ChunkTruth>.fromOpaque($0).takeUnretainedValue() }
}
