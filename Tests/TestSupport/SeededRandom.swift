import Numerics

/// The tests' one source of random numbers: Numerics' seeded stream as a
/// `RandomNumberGenerator`, so `Double.random(in:using:)` and friends can
/// draw from it. A test names its seed in its failure messages
/// (`description`), so that a failure can be replayed.
public struct SeededRandom: RandomNumberGenerator, CustomStringConvertible {
    public let seed: UInt64
    private var stream: RandomStream

    public init(seed: UInt64) {
        self.seed = seed
        stream = RandomStream(seed: seed)
    }

    public mutating func next() -> UInt64 { stream.next() }

    public var description: String { "seed \(seed)" }
}
