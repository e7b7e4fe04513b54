import PluginAPI

/// A read-only view of an `assay_batch` for the duration of one call.
public struct Batch {
    public let raw: UnsafePointer<assay_batch>

    public init(_ raw: UnsafePointer<assay_batch>) { self.raw = raw }

    public var rows: Int { Int(raw.pointee.rows) }
    public var firstRow: Int { Int(raw.pointee.first_row) }
    public var xCols: Int { Int(raw.pointee.x_cols) }
    public var yCols: Int { Int(raw.pointee.y_cols) }

    /// Inputs, rows × xCols, row-major.
    public var x: UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: raw.pointee.x, count: rows * xCols)
    }

    /// Labels, rows × yCols, row-major; empty when the batch carries none.
    public var y: UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: raw.pointee.y, count: raw.pointee.y == nil ? 0 : rows * yCols)
    }

    /// Throws unless the batch has the column counts the plugin works with
    /// (the wrappers' check, so that no plugin repeats it).
    func require(xCols expectedX: Int, yCols expectedY: Int? = nil, labels: Bool) throws {
        if xCols != expectedX {
            throw PluginError.argument("batch at row \(firstRow): x has \(xCols) columns, expected \(expectedX)")
        }
        if labels && raw.pointee.y == nil {
            throw PluginError.argument("batch at row \(firstRow): labels y are missing")
        }
        if let expectedY, labels, yCols != expectedY {
            throw PluginError.argument("batch at row \(firstRow): y has \(yCols) columns, expected \(expectedY)")
        }
    }
}
