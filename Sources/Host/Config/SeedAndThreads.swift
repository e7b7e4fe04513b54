import ConfigKit
import Foundation

extension ConfigReader {
    /// The `seed` and `threads` keys of every top-level config.
    public func seedAndThreads() throws -> (seed: UInt64, threads: Int) {
        (UInt64(try integer("seed", default: 1, in: 0...Int.max)),
         try integer("threads", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...1024))
    }
}
