import PluginAPI

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
