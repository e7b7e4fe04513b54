import Numerics

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
