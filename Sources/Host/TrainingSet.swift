import Foundation

/// Which pool rows a selection keeps for retraining: the first `capacity`
/// it keeps, in pool order, as row indices only.
///
/// The pool is i.i.d. and whether a pair is kept depends on that pair alone
/// (or, for top-fraction selection, on a cut fixed before this pass), so
/// the first n kept pairs are an unbiased sample of n kept pairs. Indices
/// cost 8 bytes a pair instead of a row of x; the rows are regenerated
/// when a model is trained (see TrainingSet).
struct KeptRows {
    let capacity: Int
    private(set) var rows: [Int] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { rows.count }

    mutating func append(firstRow: Int, keep: [UInt8]) {
        for (offset, bit) in keep.enumerated() where bit == 1 {
            guard rows.count < capacity else { return }
            rows.append(firstRow + offset)
        }
    }
}

/// The pairs of one selection, materialized for training: x and labels of
/// its kept rows, in pool order.
struct TrainingSet {
    enum Labels {
        /// The generator's y', as the verifiers saw them.
        case synthesized
        /// The true labels (the "clean" baseline).
        case truth
    }

    private(set) var x: [Double]
    private(set) var y: [Double]
    /// Hands x's and y's storage on to the next training set (see `Storage`).
    private var recycler: Storage.Recycler?

    /// Regenerates the chunks holding `rows` (sorted) and gathers them.
    init(rows: [Int], labels: Labels, source: PoolSource, threads: Int) throws {
        let (layout, generator) = (source.layout, source.generator)
        x = Storage.shared.take(capacity: rows.count * generator.xCols)
        y = Storage.shared.take(capacity: rows.count * generator.yCols)
        defer { recycler = Storage.Recycler([x, y]) }
        guard let lastRow = rows.last else { return }
        let xCols = generator.xCols, yCols = generator.yCols
        var next = 0
        try forEachChunk(count: lastRow / layout.chunkSize + 1, threads: threads, progress: nil) { index in
            try PoolChunk(index: index, source: source)
        } merge: { chunk in
            let end = chunk.firstRow + chunk.rows
            while next < rows.count && rows[next] < end {
                let row = rows[next] - chunk.firstRow
                x.append(contentsOf: chunk.x[row * xCols..<(row + 1) * xCols])
                let source = labels == .truth ? chunk.yTrue : chunk.ySynth
                y.append(contentsOf: source[row * yCols..<(row + 1) * yCols])
                next += 1
            }
        }
    }
}

extension TrainingSet {
    /// The arrays of finished training sets, reused by the next one.
    ///
    /// The selections of a run are retrained one after another, each on a
    /// fresh N′ × d training set (80 MB at N′ = 10⁵, d = 100). Fresh memory
    /// that size comes straight from the kernel and is page-faulted in row
    /// by row as it is gathered (~20 k faults a selection, on the thread
    /// that merges); reusing the previous sets' storage avoids that. Up to
    /// `limit` arrays are kept (x and y of the two sets that Experiment
    /// retrains side by side on two threads), the largest first.
    final class Storage: @unchecked Sendable {  // `free` is guarded by `lock`
        static let shared = Storage()

        private let lock = NSLock()
        private var free: [[Double]] = []
        private let limit = 4

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
