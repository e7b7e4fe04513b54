import Foundation

/// Chunk arrays kept for reuse, so that a pass over the pool does not
/// allocate and zero-fill fresh memory for every chunk: that cost a memset
/// of every x (~5 % of the pass) and, whenever malloc handed the memory back
/// to the kernel in between, page faults on all of it.
///
/// Arrays are matched by element count; a few are kept, enough for the
/// chunks a pass has in flight, so that memory stays bounded.
final class ChunkBuffers: @unchecked Sendable {  // `free` is guarded by `lock`
    static let shared = ChunkBuffers()

    private let lock = NSLock()
    private var free: [[Double]] = []
    private let limit = 16

    /// An array of `count` elements: a kept one (holding old values unless
    /// `zeroed`) or a fresh one of zeros.
    func take(count: Int, zeroed: Bool = false) -> [Double] {
        let reused: [Double]? = lock.withLock {
            guard let index = free.lastIndex(where: { $0.count == count }) else { return nil }
            return free.remove(at: index)
        }
        guard var array = reused else { return [Double](repeating: 0, count: count) }
        if zeroed { array.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        return array
    }

    /// Keeps `arrays` for later chunks, dropping the oldest beyond the limit.
    func give(_ arrays: [[Double]]) {
        lock.withLock {
            free.append(contentsOf: arrays)
            if free.count > limit { free.removeFirst(free.count - limit) }
        }
    }
}
