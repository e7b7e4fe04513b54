import Foundation

/// The pairs of one selection, materialized for training: x, the
/// synthesized labels y' and the true labels y of its kept rows, in pool
/// order, each pair at a fixed slot.
///
/// Slots are written by `copy`, possibly from several threads at once (each
/// slot by one), and read once every copy is done: the pool pass has its
/// workers make the copies its merge decides, so that neither the copying
/// nor the page faults of fresh memory (an 80 MB set at N′ = 10⁵, d = 100)
/// hold up the merge, which runs on one thread.
final class TrainingSet: @unchecked Sendable {  // slots are written once, before any read
    enum Labels {
        /// The generator's y', as the verifiers saw them.
        case synthesized
        /// The true labels (the "clean" baseline).
        case truth
    }

    /// Pool row `row` of a chunk goes to slot `slot`.
    struct Slot {
        let row: Int
        let slot: Int
    }

    let capacity: Int
    private let xCols: Int, yCols: Int
    private let buffers: Buffers

    /// Memory a pair takes in a set.
    static func bytesPerRow(_ generator: GeneratorInstance) -> Int {
        (generator.xCols + 2 * generator.yCols) * MemoryLayout<Double>.size
    }

    /// A set with room for `capacity` pairs, none written yet.
    init(capacity: Int, xCols: Int, yCols: Int) {
        self.capacity = capacity
        self.xCols = xCols
        self.yCols = yCols
        buffers = Buffers.recycled.take(x: capacity * xCols, y: capacity * yCols)
    }

    /// Regenerates the chunks holding `rows` (sorted) and gathers them.
    convenience init(rows: [Int], source: PoolSource, threads: Int) throws {
        let layout = source.layout
        self.init(capacity: rows.count, xCols: source.generator.xCols, yCols: source.generator.yCols)
        guard let lastRow = rows.last else { return }
        var next = 0
        try forEachChunk(count: lastRow / layout.chunkSize + 1, threads: threads, progress: nil) { index in
            try PoolChunk(index: index, source: source)
        } merge: { chunk in
            var slots: [Slot] = []
            while next < rows.count && rows[next] < chunk.firstRow + chunk.rows {
                slots.append(Slot(row: rows[next] - chunk.firstRow, slot: next))
                next += 1
            }
            copy(slots, of: chunk)
        }
    }

    /// The inputs of every slot, row-major.
    var x: UnsafeBufferPointer<Double> { UnsafeBufferPointer(buffers.x) }

    func y(_ labels: Labels) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(labels == .truth ? buffers.yTrue : buffers.ySynth)
    }

    /// Copies each slot's chunk row (x, y' and y) into place.
    func copy(_ slots: [Slot], of chunk: PoolChunk) {
        let (xCols, yCols) = (self.xCols, self.yCols)
        chunk.x.withUnsafeBufferPointer { x in
            chunk.ySynth.withUnsafeBufferPointer { ySynth in
                chunk.yTrue.withUnsafeBufferPointer { yTrue in
                    for slot in slots {
                        precondition(slot.slot < capacity, "TrainingSet: slot \(slot.slot) beyond \(capacity)")
                        (buffers.x.baseAddress! + slot.slot * xCols)
                            .update(from: x.baseAddress! + slot.row * xCols, count: xCols)
                        (buffers.ySynth.baseAddress! + slot.slot * yCols)
                            .update(from: ySynth.baseAddress! + slot.row * yCols, count: yCols)
                        (buffers.yTrue.baseAddress! + slot.slot * yCols)
                            .update(from: yTrue.baseAddress! + slot.row * yCols, count: yCols)
                    }
                }
            }
        }
    }
}

extension TrainingSet {
    /// A set's memory: x, y' and y, handed on to a later set when this one
    /// goes.
    ///
    /// Every run (and round) gathers fresh N′ × d training sets (80 MB at
    /// N′ = 10⁵, d = 100). Fresh memory that size comes straight from the
    /// kernel and is page-faulted in as it is first written; a sweep or
    /// later rounds reuse earlier sets' memory instead.
    final class Buffers: @unchecked Sendable {  // written only through TrainingSet's slots
        let x: UnsafeMutableBufferPointer<Double>
        let ySynth: UnsafeMutableBufferPointer<Double>
        let yTrue: UnsafeMutableBufferPointer<Double>
        private let owned: [UnsafeMutableBufferPointer<Double>]

        private init(x: Int, y: Int, from owned: [UnsafeMutableBufferPointer<Double>]) {
            self.owned = owned
            self.x = UnsafeMutableBufferPointer(rebasing: owned[0][0..<x])
            ySynth = UnsafeMutableBufferPointer(rebasing: owned[1][0..<y])
            yTrue = UnsafeMutableBufferPointer(rebasing: owned[2][0..<y])
        }

        deinit {
            Self.recycled.give(owned)
        }

        /// The free memory of sets that are gone.
        static let recycled = Recycled()

        final class Recycled: @unchecked Sendable {  // `free` is guarded by `lock`
            private let lock = NSLock()
            private var free: [UnsafeMutableBufferPointer<Double>] = []
            /// Buffers kept at most (x, y' and y of the sets a run gathers at once).
            private let limit = 16

            func take(x: Int, y: Int) -> Buffers {
                Buffers(x: x, y: y, from: [buffer(x), buffer(y), buffer(y)])
            }

            /// The smallest free buffer of at least `count` elements, or a new one.
            private func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
                let reused: UnsafeMutableBufferPointer<Double>? = lock.withLock {
                    guard let index = free.indices.filter({ free[$0].count >= count })
                        .min(by: { free[$0].count < free[$1].count }) else { return nil }
                    return free.remove(at: index)
                }
                return reused ?? .allocate(capacity: max(count, 1))
            }

            fileprivate func give(_ buffers: [UnsafeMutableBufferPointer<Double>]) {
                let dropped: [UnsafeMutableBufferPointer<Double>] = lock.withLock {
                    free.append(contentsOf: buffers)
                    free.sort { $0.count > $1.count }
                    guard free.count > limit else { return [] }
                    defer { free.removeLast(free.count - limit) }
                    return Array(free[limit...])
                }
                for buffer in dropped { buffer.deallocate() }
            }
        }
    }
}
