import PluginKit

/// Perplexity selection (the paper's Section 6.3): keeps the fraction `r`
/// of the pool whose synthesized label has the lowest perplexity under a
/// scoring model -- the generator itself (self-selection) or a reference
/// model. Scores are log P(y' | x): higher means lower perplexity.
final class PerplexityVerifier: VerifierPlugin {
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
    private let fraction: Double
    private let model: String

    init(config: PluginConfig, host: HostServices) throws {
        self.host = host
        fraction = try config.number("r", default: 0.25, in: 0 ... 1)
        guard fraction > 0 else {
            throw PluginError.config("\(config.origin): \"r\" must be a number in (0, 1], got \(fraction)")
        }
        model = try config.string("model", default: "generator")
        guard !model.isEmpty else {
            throw PluginError.config("\(config.origin): \"model\" must be a non-empty model name, got \"\"")
        }
    }

    var selection: Selection { .topFraction(fraction) }

    func verify(batch: Batch, rng: HostRandom, keep: UnsafeMutableBufferPointer<UInt8>,
                score: UnsafeMutableBufferPointer<Double>) throws {
        let rows = batch.rows
        guard rows > 0 else { return }
        guard score.count == rows else {
            throw PluginError.argument("perplexity: verify: score holds \(score.count) values, expected \(rows)")
        }
        try host.logLikelihood(model: model, of: batch, into: score)
        if let i = score.firstIndex(where: { !$0.isFinite }) {
            throw PluginError.failed(
                "perplexity: log-likelihood of row \(batch.firstRow + i) under model \"\(model)\" is \(score[i]); expected a finite value")
        }
    }
}
