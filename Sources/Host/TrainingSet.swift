import Foundation

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
    /// The kept pairs, copied out of each chunk as the pool pass merges it;
    /// nil when they would take too much memory (see `PoolPass.gathering`)
    /// and are regenerated for training instead.
    private(set) var pairs: TrainingSet?

    init(capacity: Int, gathering: Bool, xCols: Int, yCols: Int) {
        self.capacity = capacity
        if gathering, capacity > 0 { pairs = TrainingSet(capacity: capacity, xCols: xCols, yCols: yCols) }
    }

    var count: Int { rows.count }
    var isFull: Bool { rows.count >= capacity }

    /// Takes the chunk's kept rows (all of them when `keep` is nil) until full.
    mutating func append(_ chunk: PoolChunk?, firstRow: Int, rowCount: Int, keep: [UInt8]?) {
        var offset = 0
        while offset < rowCount, !isFull {
            if keep.map({ $0[offset] == 1 }) ?? true {
                rows.append(firstRow + offset)
                pairs?.append(row: offset, of: chunk!)
            }
            offset += 1
        }
    }

    /// Ends gathering, once the pool pass is over.
    mutating func seal() {
        pairs?.seal()
    }
}

/// The pairs of one selection, materialized for training: x, the
/// synthesized labels y' and the true labels y of its kept rows, in pool
/// order.
struct TrainingSet {
    enum Labels {
        /// The generator's y', as the verifiers saw them.
        case synthesized
        /// The true labels (the "clean" baseline).
        case truth
    }

    private(set) var x: [Double]
    private var ySynth: [Double]
    private var yTrue: [Double]
    private let xCols: Int, yCols: Int
    /// Hands the arrays' storage on to the next training set once sealed
    /// (see `Storage`).
    private var recycler: Storage.Recycler?

    /// Memory a pair takes in a set.
    static func bytesPerRow(_ generator: GeneratorInstance) -> Int {
        (generator.xCols + 2 * generator.yCols) * MemoryLayout<Double>.size
    }

    func y(_ labels: Labels) -> [Double] {
        labels == .truth ? yTrue : ySynth
    }

    /// An empty set with room for `capacity` pairs.
    init(capacity: Int, xCols: Int, yCols: Int) {
        self.xCols = xCols
        self.yCols = yCols
        x = Storage.shared.take(capacity: capacity * xCols)
        ySynth = Storage.shared.take(capacity: capacity * yCols)
        yTrue = Storage.shared.take(capacity: capacity * yCols)
    }

    /// Regenerates the chunks holding `rows` (sorted) and gathers them.
    init(rows: [Int], source: PoolSource, threads: Int) throws {
        let layout = source.layout
        self.init(capacity: rows.count, xCols: source.generator.xCols, yCols: source.generator.yCols)
        defer { seal() }
        guard let lastRow = rows.last else { return }
        var next = 0
        try forEachChunk(count: lastRow / layout.chunkSize + 1, threads: threads, progress: nil) { index in
            try PoolChunk(index: index, source: source)
        } merge: { chunk in
            while next < rows.count && rows[next] < chunk.firstRow + chunk.rows {
                append(row: rows[next] - chunk.firstRow, of: chunk)
                next += 1
            }
        }
    }

    /// Copies row `row` of `chunk` (x, y' and y) to the end of the set.
    mutating func append(row: Int, of chunk: PoolChunk) {
        precondition(recycler == nil, "TrainingSet: append after seal")
        let (xCols, yCols) = (self.xCols, self.yCols)
        // By buffer pointers: one memcpy a row, not a generic slice append.
        chunk.x.withUnsafeBufferPointer { x.append(contentsOf: UnsafeBufferPointer(rebasing: $0[(row * xCols)..<((row + 1) * xCols)])) }
        chunk.ySynth.withUnsafeBufferPointer { ySynth.append(contentsOf: UnsafeBufferPointer(rebasing: $0[(row * yCols)..<((row + 1) * yCols)])) }
        chunk.yTrue.withUnsafeBufferPointer { yTrue.append(contentsOf: UnsafeBufferPointer(rebasing: $0[(row * yCols)..<((row + 1) * yCols)])) }
    }

    /// No more pairs: from here on the arrays are shared with the recycler,
    /// so appending would copy them.
    mutating func seal() {
        if recycler == nil { recycler = Storage.Recycler([x, ySynth, yTrue]) }
    }
}

extension TrainingSet {
    /// The arrays of finished training sets, reused by the next one.
    ///
    /// Every run (and round) gathers fresh N′ × d training sets (80 MB at
    /// N′ = 10⁵, d = 100). Fresh memory that size comes straight from the
    /// kernel and is page-faulted in row by row as it is gathered (~20 k
    /// faults a set, on the thread that merges); reusing earlier sets'
    /// storage avoids that. Up to `limit` arrays are kept (x, y' and y of
    /// the sets a run gathers at once), the largest first.
    final class Storage: @unchecked Sendable {  // `free` is guarded by `lock`
        static let shared = Storage()

        private let lock = NSLock()
        private var free: [[Double]] = []
        private let limit = 16

        /// An empty array with room for `capacity` elements.
        func take(capacity: Int) -> [Double] {
            var array: [Double] = lock.withLock {
                guard let index = free.indices.filter({ free[$0].capacity >= capacity })
                    .min(by: { free[$0].capacity < free[$1].capacity }) else { return [] }
                return free.remove(at: index)
            }
            array.removeAll(keepingCapacity: true)
            array.reserveCapacity(capacity)
            return array
        }

        func give(_ arrays: [[Double]]) {
            lock.withLock {
                free.append(contentsOf: arrays.filter { $0.capacity > 0 })
                free.sort { $0.capacity > $1.capacity }
                if free.count > limit { free.removeLast(free.count - limit) }
            }
        }

        /// Gives a training set's arrays back when its last copy is dropped;
        /// made once they are filled, since it shares them.
        final class Recycler {
            private let arrays: [[Double]]

            init(_ arrays: [[Double]]) {
                self.arrays = arrays
            }

            deinit {
                Storage.shared.give(arrays)
            }
        }
    }
}
