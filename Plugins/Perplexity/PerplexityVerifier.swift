import PluginKit

/// Perplexity selection (the paper's Section 6.3): keeps the fraction `r`
/// of the pool whose synthesized label has the lowest perplexity under a
/// scoring model -- the generator itself (self-selection) or a reference
/// model. Scores are log P(y' | x): higher means lower perplexity.
final class PerplexityVerifier: ScoringVerifier {
    static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "perplexity",
            version: "1.0.0",
            summary: "Keeps the fraction r of pairs with the lowest perplexity of y' under a scoring model",
            needs: .logLikelihood,
            parameters: [
                Parameter("r", "number", default: "0.25", "fraction of the pool to keep, in (0, 1]"),
                Parameter("model", "string", default: "\"generator\"",
                          "the generator's model that scores y': \"generator\" (self-selection) or a reference model name"),
            ]
        )
    }

    private let host: HostServices
    let fraction: Double
    private let model: String

    init(config: ConfigReader, host: HostServices) throws {
        self.host = host
        fraction = try config.number("r", default: 0.25, in: 0 ... 1)
        guard fraction > 0 else { throw config.invalid("\"r\" must be a number in (0, 1], got \(fraction)") }
        model = try config.string("model", default: "generator")
        guard !model.isEmpty else { throw config.invalid("\"model\" must be a non-empty model name, got \"\"") }
    }

    /// PluginKit refuses a log-likelihood that is not finite, naming the row.
    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {
        try host.logLikelihood(model: model, of: batch, into: score)
    }
}

private let exports = ExportedLibrary(PerplexityVerifier.self)
@_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
