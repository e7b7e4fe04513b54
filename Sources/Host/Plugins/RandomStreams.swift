import Numerics
import PluginAPI

/// Names the independent random streams of a run. Each stream is derived
/// from the run seed and its key by hashing, so chunk 17's numbers are the
/// same whichever thread processes it and whatever ran before.
public enum StreamKey {
    case generatorPrepare
    case verifierPrepare(String)
    case draw(chunk: Int)
    case label(chunk: Int)
    case verify(String, chunk: Int)
    case ties(String, chunk: Int)
    case test(chunk: Int)
    /// Predictions of a model for one block of the test set.
    case evaluate(String, block: Int)
    /// Candidate `index` of every test input of a chunk (`assay candidates`).
    case candidate(Int, chunk: Int)

    var parts: [UInt64] {
        switch self {
        case .generatorPrepare: return [1]
        case .verifierPrepare(let name): return [2, stableHash(name)]
        case .draw(let chunk): return [3, UInt64(chunk)]
        case .label(let chunk): return [4, UInt64(chunk)]
        case .verify(let name, let chunk): return [5, stableHash(name), UInt64(chunk)]
        case .ties(let name, let chunk): return [6, stableHash(name), UInt64(chunk)]
        case .test(let chunk): return [7, UInt64(chunk)]
        case .evaluate(let name, let block): return [8, stableHash(name), UInt64(block)]
        case .candidate(let index, let chunk): return [9, UInt64(index), UInt64(chunk)]
        }
    }
}

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
