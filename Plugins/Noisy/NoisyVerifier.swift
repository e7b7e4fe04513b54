import PluginKit

/// The noisy oracle of the paper's Section 6.1: keeps every good pair
/// (similarity s ≥ `threshold`) and each bad pair with probability
/// `p_noise`, independently; (ϕ, ψ) = (1, p_noise), so p* = 1/(1 + p_noise).
/// With `phi` < 1 it keeps a good pair only with probability `phi`: the
/// (ϕ, ψ)-pruner of the paper's Section 4.2, p* = 1/(1 + p_noise/phi).
final class NoisyVerifier: RuleVerifier {
    static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "noisy",
            version: "1.0.0",
            summary: "The oracle, but keeping each bad pair (s < threshold) with probability p_noise",
            needs: .truth,
            parameters: [
                Parameter("p_noise", "number", default: nil,
                          "probability in [0, 1] of keeping a pair the oracle would drop (required)"),
                Parameter("phi", "number", default: "1",
                          "probability in [0, 1] of keeping a pair the oracle would keep"),
                Parameter("threshold", "number", default: "1",
                          "a pair is good when its similarity s to the truth is at least this, in [0, 1]"),
            ]
        )
    }

    private let host: HostServices
    private let noise: Double
    private let threshold: Double
    private let phi: Double

    init(config: ConfigReader, host: HostServices) throws {
        self.host = host
        noise = try config.number("p_noise", in: 0 ... 1)
        threshold = try config.number("threshold", default: 1, in: 0 ... 1)
        phi = try config.number("phi", default: 1, in: 0 ... 1)
    }

    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        let s = scratch.doubles(batch.rows)
        try host.similarity(of: batch, into: s)
        // One uniform per row whatever the similarities, so the stream's use
        // does not depend on the data.
        let u = scratch.doubles(batch.rows)
        rng.fillUniform(u)
        for i in 0 ..< batch.rows {
            // The same uniform decides either way: u < 1 always, so phi = 1
            // keeps every good pair exactly as before.
            keep[i] = (s[i] >= threshold ? u[i] < phi : u[i] < noise) ? 1 : 0
        }
    }
}

private let exports = ExportedLibrary(NoisyVerifier.self)
@_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
