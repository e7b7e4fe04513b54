import Numerics
import PluginAPI

/// Hands a plugin call an `assay_random` backed by a fresh stream.
public func withRandom<Result>(seed: UInt64, _ key: StreamKey,
                        _ body: (UnsafeMutablePointer<assay_random>) throws -> Result) rethrows -> Result {
    let stream = OpenStream(seed: seed, key)
    return try withExtendedLifetime(stream) { try body(stream.random) }
}

/// An `assay_random` backed by a fresh stream that stays open while the
/// object lives, so that several plugin calls can continue one stream (the
/// blocks of a pool chunk).
final class OpenStream {
    let random: UnsafeMutablePointer<assay_random>
    private let state: UnsafeMutablePointer<RandomStream>

    init(seed: UInt64, _ key: StreamKey) {
        state = .allocate(capacity: 1)
        state.initialize(to: RandomStream(seed: seed, keys: key.parts))
        random = .allocate(capacity: 1)
        random.initialize(to: assay_random(
            struct_size: UInt32(MemoryLayout<assay_random>.size),
            reserved: 0,
            state: UnsafeMutableRawPointer(state),
            uniform: { rng, out, count in
                streamOf(rng).pointee.fillUniform(UnsafeMutableBufferPointer(start: out, count: Int(count)))
            },
            normal: { rng, out, count in
                streamOf(rng).pointee.fillNormal(UnsafeMutableBufferPointer(start: out, count: Int(count)))
            },
            bits: { rng, out, count in
                streamOf(rng).pointee.fillBits(UnsafeMutableBufferPointer(start: out, count: Int(count)))
            }
        ))
    }

    deinit {
        random.deallocate()
        state.deallocate()
    }
}

private func streamOf(_ rng: UnsafeMutablePointer<assay_random>?) -> UnsafeMutablePointer<RandomStream> {
    rng!.pointee.state!.assumingMemoryBound(to: RandomStream.self)
}
