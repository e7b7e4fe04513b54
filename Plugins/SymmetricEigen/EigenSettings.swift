import Numerics
import PluginKit

/// The symmetric-eigen generator's config, read and checked in one place.
struct EigenSettings {
    /// How label(.synthesize) makes a label.
    enum Labels: String, CaseIterable {
        /// A draw from the predictive Gaussian (candidates, rejection sampling).
        case sample
        /// The predicted mean, the analog of the paper's greedy decoding.
        case mean
    }

    var tau: Double
    var similarity: EigenSimilarity.Rule
    var cleanSamples: Int
    var hidden: [Int]
    var schedule: TrainingSchedule
    /// fit()'s schedule; its epochs are replaced per fit when `fitSteps` is set.
    var fitSchedule: TrainingSchedule
    /// Adam steps of every fit whatever its number of pairs, when set.
    var fitSteps: Int?
    var labels: Labels
    var temperature: Double

    static let parameters = [
        Parameter("tau", "number", default: "0.05",
                  "tolerance τ in (0, 1) of the relative L1 error Σ|v−p| / Σ|v| (the paper uses 0.05, 0.02, 0.01, 0.005)"),
        Parameter("similarity", "string", default: "\"threshold\"",
                  "\"threshold\": s = 1 when Σ|v−p| < τ·Σ|v|, else 0; \"continuous\": s = max(0, 1 − relative error / (2τ))"),
        Parameter("n0", "integer", default: "200000", "clean samples the generator network is trained on"),
        Parameter("hidden", "number[]", default: "[256, 256, 256]", "widths of the network's hidden ReLU layers"),
        Parameter("epochs", "integer", default: "20", "passes over the n0 clean samples when training the generator"),
        Parameter("fit_epochs", "integer", default: nil, "passes over the pairs when fit() trains a fresh network (default: epochs)"),
        Parameter("fit_steps", "integer", default: nil,
                  "instead of fit_epochs: Adam steps of every fit whatever its number of pairs (the same training budget for "
                      + "every n'; the epochs are rounded up to whole passes)"),
        Parameter("batch", "integer", default: "256", "mini-batch size of Adam"),
        Parameter("learning_rate", "number", default: "0.001",
                  "Adam's initial step length, decayed along a half cosine to 1% of it"),
        Parameter("labels", "string", default: "\"sample\"",
                  "what label(synthesize) returns: \"sample\" (a draw from the predictive Gaussian) or \"mean\" (its mean, like greedy decoding)"),
        Parameter("temperature", "number", default: "1",
                  "with labels = \"sample\": factor (> 0) on the predictive standard deviations of a draw"),
    ]

    init(_ config: ConfigReader) throws {
        tau = try config.number("tau", default: 0.05)
        guard tau > 0, tau < 1 else {
            throw config.invalid("\"tau\" must be a number in (0, 1), e.g. 0.05 for 5%; got \(tau)")
        }
        similarity = EigenSimilarity.Rule(rawValue: try config.string(
            "similarity", default: "threshold", oneOf: EigenSimilarity.Rule.allCases.map(\.rawValue)))!
        cleanSamples = try config.integer("n0", default: 200_000, in: 1...100_000_000)
        hidden = try config.integers("hidden", in: 1...4096) ?? [256, 256, 256]
        guard !hidden.isEmpty, hidden.count <= 8 else {
            throw config.invalid("\"hidden\" must list 1 to 8 layer widths, got \(hidden.count)")
        }
        let epochs = try config.integer("epochs", default: 20, in: 1...10_000)
        let fitEpochs = try config.integer("fit_epochs", default: epochs, in: 1...10_000)
        fitSteps = config.has("fit_steps") ? try config.integer("fit_steps", in: 1...100_000_000) : nil
        if fitSteps != nil && config.has("fit_epochs") {
            throw config.invalid("give \"fit_epochs\" or \"fit_steps\", not both")
        }
        let batch = try config.integer("batch", default: 256, in: 1...65_536)
        let rate = try config.number("learning_rate", default: 0.001)
        guard rate > 0, rate <= 1 else {
            throw config.invalid("\"learning_rate\" must be a number in (0, 1], got \(rate)")
        }
        schedule = TrainingSchedule(epochs: epochs, batchSize: batch, learningRate: rate)
        fitSchedule = TrainingSchedule(epochs: fitEpochs, batchSize: batch, learningRate: rate)
        labels = Labels(rawValue: try config.string("labels", default: "sample", oneOf: Labels.allCases.map(\.rawValue)))!
        temperature = try config.number("temperature", default: 1)
        guard temperature > 0, temperature <= 100 else {
            throw config.invalid("\"temperature\" must be a number in (0, 100], got \(temperature)")
        }
        if config.has("temperature") && labels != .sample {
            throw config.invalid("\"temperature\" applies only with labels = \"sample\"; got labels = \"\(labels.rawValue)\"")
        }
    }
}

extension EigenSettings {
    /// The schedule of one fit on `rows` pairs: `fit_epochs` passes, or as
    /// many whole passes as `fit_steps` Adam steps need.
    func fitSchedule(rows: Int) -> TrainingSchedule {
        guard let fitSteps else { return fitSchedule }
        var schedule = fitSchedule
        let batchesPerEpoch = (rows + schedule.batchSize - 1) / max(schedule.batchSize, 1)
        schedule.epochs = max(1, (fitSteps + batchesPerEpoch - 1) / max(batchesPerEpoch, 1))
        return schedule
    }
}
