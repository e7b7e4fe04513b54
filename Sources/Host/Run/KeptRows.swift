/// Which pool rows a selection keeps for retraining: the first `capacity`
/// it keeps, in pool order, and, when the pool pass gathers them, the
/// pairs themselves.
///
/// The pool is i.i.d. and whether a pair is kept depends on that pair alone
/// (or, for top-fraction selection, on a cut fixed before this pass), so
/// the first n kept pairs are an unbiased sample of n kept pairs.
struct KeptRows {
    let capacity: Int
    private(set) var rows: [Int] = []
    /// The kept pairs, copied out of each chunk after the pool pass merges
    /// it; nil when they would take too much memory (see
    /// `PoolPass.gathering`) and are regenerated for training instead.
    let pairs: TrainingSet?

    init(capacity: Int, gathering: Bool, xCols: Int, yCols: Int) {
        self.capacity = capacity
        pairs = gathering && capacity > 0 ? TrainingSet(capacity: capacity, xCols: xCols, yCols: yCols) : nil
    }

    var count: Int { rows.count }
    var isFull: Bool { rows.count >= capacity }

    /// Takes the chunk's kept rows (all of them when `keep` is nil) until
    /// full, and returns where each goes in `pairs`: the copies still to
    /// make (see `TrainingSet.copy`).
    mutating func take(firstRow: Int, rowCount: Int, keep: [UInt8]?) -> [TrainingSet.Slot] {
        var slots: [TrainingSet.Slot] = []
        var offset = 0
        while offset < rowCount, !isFull {
            if keep.map({ $0[offset] == 1 }) ?? true {
                if pairs != nil { slots.append(TrainingSet.Slot(row: offset, slot: rows.count)) }
                rows.append(firstRow + offset)
            }
            offset += 1
        }
        return slots
    }
}
