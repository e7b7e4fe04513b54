import Foundation

/// Runs `work` on chunks 0..<count on up to `threads` worker threads and
/// hands each result to `merge` in chunk order, on the calling thread, so
/// that everything merged (sums, first-come samples) is identical whatever
/// the number of threads.
///
/// The work is pipelined: a worker takes the next chunk as soon as it is
/// done with one, while the calling thread merges finished chunks behind
/// it. (Waves of `threads` chunks with a barrier after each left a core
/// idle whenever one chunk of a wave took longer, and again during every
/// merge.) Workers run at most 2 × `threads` chunks ahead of the merge,
/// so memory stays bounded.
///
/// If a chunk's work throws, the chunks before it are merged and its error
/// is rethrown; if `merge` throws, that error is. Either way no further
/// chunk is started, and the call returns only after every worker stopped.
public func forEachChunk<Result>(count: Int, threads: Int, progress: ProgressBar?,
                          work: (Int) throws -> Result, merge: (Result) throws -> Void) throws {
    guard count > 0 else { return }
    let workers = min(max(threads, 1), count)
    if workers == 1 {
        for index in 0..<count {
            try merge(work(index))
            progress?.advance()
        }
        return
    }
    try withoutActuallyEscaping(work) { work in
        let pipeline = ChunkPipeline<Result>(count: count, window: 2 * workers, work: work)
        let done = DispatchGroup()
        for _ in 0..<workers {
            done.enter()
            Thread {
                pipeline.runWorker()
                done.leave()
            }.start()
        }
        // `work` must not outlive this call: the threads reach it only
        // through the pipeline, which drops it once they have all stopped.
        defer {
            done.wait()
            pipeline.dropWork()
        }
        for _ in 0..<count {
            do {
                try merge(pipeline.nextInOrder().get())
            } catch {
                pipeline.stop()
                throw error
            }
            progress?.advance()
        }
    }
}

/// The state `forEachChunk` shares between its workers and the merging
/// thread, all of it guarded by `condition`.
private final class ChunkPipeline<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    /// The next chunk to hand to a worker.
    private var next = 0
    /// Chunks merged so far; chunk `merged` is the next to merge.
    private var merged = 0
    private var stopped = false
    /// Finished chunks not yet merged, by chunk index.
    private var finished: [Int: Swift.Result<Result, Error>] = [:]

    private var work: ((Int) throws -> Result)?

    init(count: Int, window: Int, work: @escaping (Int) throws -> Result) {
        self.count = count
        self.window = window
        self.work = work
    }

    func dropWork() {
        condition.lock()
        work = nil
        condition.unlock()
    }

    /// A worker's loop: take a chunk, run it, file the result; until every
    /// chunk is taken or the pipeline is stopped.
    func runWorker() {
        condition.lock()
        while true {
            guard !stopped, next < count, let work else { break }
            // Not too far ahead of the merge: results wait in memory.
            if next >= merged + window {
                condition.wait()
                continue
            }
            let index = next
            next += 1
            condition.unlock()
            let outcome = Swift.Result(catching: { try work(index) })
            condition.lock()
            finished[index] = outcome
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Waits for the next chunk in order and hands over its result.
    func nextInOrder() -> Swift.Result<Result, Error> {
        condition.lock()
        defer { condition.unlock() }
        while finished[merged] == nil { condition.wait() }
        let outcome = finished.removeValue(forKey: merged)!
        merged += 1
        condition.broadcast()
        return outcome
    }

    /// No further chunk is started; running ones finish.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
