/// The first `capacity` pairs a selection keeps, in pool order.
///
/// The pool is i.i.d. and whether a pair is kept depends on that pair alone
/// (or, for top-fraction selection, on a cut-off fixed before this pass),
/// so the first n kept pairs are an unbiased sample of n kept pairs:
/// nothing later in the pool is needed to retrain on n' ≤ capacity.
struct KeptPairs {
    let capacity: Int
    let xCols: Int
    let yCols: Int
    private(set) var x: [Double] = []
    private(set) var y: [Double] = []

    init(capacity: Int, xCols: Int, yCols: Int) {
        self.capacity = capacity
        self.xCols = xCols
        self.yCols = yCols
        x.reserveCapacity(capacity * xCols)
        y.reserveCapacity(capacity * yCols)
    }

    var count: Int { y.count / yCols }
    var isFull: Bool { count >= capacity }

    /// Appends the chunk rows whose keep bit is set, with labels `labels`
    /// (the synthesized y' for verifiers, the truth for the clean baseline).
    mutating func append(from chunk: PoolChunk, labels: [Double], keep: [UInt8]?) {
        for row in 0..<chunk.rows where !isFull {
            if let keep, keep[row] == 0 { continue }
            x.append(contentsOf: chunk.x[row * xCols..<(row + 1) * xCols])
            y.append(contentsOf: labels[row * yCols..<(row + 1) * yCols])
        }
    }
}
