import PluginKit

/// The oracle verifier: keeps the pairs whose synthesized label matches the
/// truth, (ϕ, ψ) = (1, 0) in the paper's terms.
///
/// For continuous similarities s ∈ [0, 1] it keeps s ≥ `threshold`, or,
/// with `fraction`, scores each pair by s and lets the host keep that
/// fraction of the pool with the highest s.
final class OracleVerifier: RuleVerifier, ScoringVerifier {
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
    let fraction: Double
    private let scoring: Bool

    init(config: ConfigReader, host: HostServices) throws {
        self.host = host
        if config.has("threshold") && config.has("fraction") {
            throw config.invalid("give either \"threshold\" (keep s >= threshold) or \"fraction\" (keep the top fraction by s), not both")
        }
        threshold = try config.number("threshold", default: 1, in: 0 ... 1)
        // Read even when absent, so that an unknown-key message lists it.
        fraction = try config.number("fraction", default: 1, in: 0 ... 1)
        guard fraction > 0 else { throw config.invalid("\"fraction\" must be a number in (0, 1], got \(fraction)") }
        scoring = config.has("fraction")
    }

    var selection: Selection { scoring ? .topFraction(fraction) : .rule }

    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {
        try host.similarity(of: batch, into: score)
    }

    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        let s = scratch.doubles(batch.rows)
        try host.similarity(of: batch, into: s)
        for i in 0 ..< batch.rows { keep[i] = s[i] >= threshold ? 1 : 0 }
    }
}

private let exports = ExportedLibrary(OracleVerifier.self)
@_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
