import Dispatch
import Foundation

/// Runs `work` on chunks 0..<count with up to `threads` at a time and hands
/// each result to `merge` in chunk order, so that everything merged (sums,
/// first-come samples) is identical whatever the number of threads. At
/// most `threads` results are held at once: memory stays bounded.
func forEachChunk<Result>(count: Int, threads: Int, progress: ProgressBar?,
                          work: (Int) throws -> Result, merge: (Result) throws -> Void) throws {
    var next = 0
    while next < count {
        let wave = min(threads, count - next)
        var results = [Result?](repeating: nil, count: wave)
        var failures = [Error?](repeating: nil, count: wave)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: wave) { offset in
            do {
                let result = try work(next + offset)
                lock.withLock { results[offset] = result }
            } catch {
                lock.withLock { failures[offset] = error }
            }
        }
        for offset in 0..<wave {
            if let failure = failures[offset] { throw failure }
            try merge(results[offset]!)
            progress?.advance()
        }
        next += wave
    }
}
