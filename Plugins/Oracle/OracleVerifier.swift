import PluginKit

/// The oracle verifier: keeps the pairs whose synthesized label matches the
/// truth, (ϕ, ψ) = (1, 0) in the paper's terms.
///
/// For continuous similarities s ∈ [0, 1] it keeps s ≥ `threshold`, or,
/// with `fraction`, scores each pair by s and lets the host keep that
/// fraction of the pool with the highest s.
final class OracleVerifier: VerifierPlugin {
    static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "oracle",
            version: "1.0.0",
            summary: "Keeps the pairs whose label matches the truth (similarity s >= threshold), or the top fraction by s",
            needs: .truth,
            parameters: [
                Parameter("threshold", "number", default: "1",
                          "keep a pair when its similarity s to the truth is at least this, in [0, 1]; not with fraction"),
                Parameter("fraction", "number", default: nil,
                          "instead of a threshold, keep this fraction of the pool, in (0, 1], with the highest s"),
            ]
        )
    }

    private let host: HostServices
    private let threshold: Double
    private let fraction: Double?

    init(config: PluginConfig, host: HostServices) throws {
        self.host = host
        if config.has("threshold") && config.has("fraction") {
            throw PluginError.config(
                "\(config.origin): give either \"threshold\" (keep s >= threshold) or \"fraction\" (keep the top fraction by s), not both")
        }
        threshold = try config.number("threshold", default: 1, in: 0 ... 1)
        // Read even when absent, so that an unknown-key message lists it.
        let value = try config.number("fraction", default: 1, in: 0 ... 1)
        guard value > 0 else {
            throw PluginError.config("\(config.origin): \"fraction\" must be a number in (0, 1], got \(value)")
        }
        fraction = config.has("fraction") ? value : nil
    }

    var selection: Selection {
        fraction.map { .topFraction($0) } ?? .rule
    }

    func verify(batch: Batch, rng: HostRandom, keep: UnsafeMutableBufferPointer<UInt8>,
                score: UnsafeMutableBufferPointer<Double>) throws {
        let rows = batch.rows
        guard rows > 0 else { return }
        if fraction != nil {
            guard score.count == rows else {
                throw PluginError.argument("oracle: verify: score holds \(score.count) values, expected \(rows)")
            }
            try host.similarity(of: batch, into: score)
            try checkSimilarities(UnsafeBufferPointer(score), batch: batch)
        } else {
            guard keep.count == rows else {
                throw PluginError.argument("oracle: verify: keep holds \(keep.count) values, expected \(rows)")
            }
            var s = [Double](repeating: 0, count: rows)
            try s.withUnsafeMutableBufferPointer { try host.similarity(of: batch, into: $0) }
            try s.withUnsafeBufferPointer { try checkSimilarities($0, batch: batch) }
            for i in 0 ..< rows {
                keep[i] = s[i] >= threshold ? 1 : 0
            }
        }
    }

    private func checkSimilarities(_ s: UnsafeBufferPointer<Double>, batch: Batch) throws {
        if let i = s.firstIndex(where: { !(0 ... 1).contains($0) }) {
            throw PluginError.failed(
                "oracle: the host's similarity for row \(batch.firstRow + i) is \(s[i]); expected a number in [0, 1]")
        }
    }
}
