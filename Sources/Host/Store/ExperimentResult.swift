import Foundation

/// Accuracy of a model retrained on n pairs, on the test set.
public struct CurvePoint: Codable, Equatable {
    public var n: Int
    /// Agreement with the true labels.
    public var accuracy: Double
    /// Agreement with the Bayes-optimal predictor, when the task has one.
    public var agreement: Double?
}

/// A verifier or baseline: how it selected and what retraining on its
/// selection achieved.
public struct SelectionResult: Codable, Equatable {
    public var name: String
    /// Plugin id, or "baseline".
    public var plugin: String
    public var version: String?
    public var score: SelectionScore?
    public var curve: [CurvePoint]

    enum CodingKeys: String, CodingKey {
        case name, plugin, version, curve
        case pairs, kept, p, phi, psi
        case pStar = "p_star", phiInterval = "phi_interval", psiInterval = "psi_interval"
        case pStarInterval = "p_star_interval"
    }

    public init(name: String, plugin: String, version: String?, score: SelectionScore?, curve: [CurvePoint]) {
        self.name = name
        self.plugin = plugin
        self.version = version
        self.score = score
        self.curve = curve
    }

    // Scores are flattened into the entry: `phi`, `psi`, `p_star` sit
    // beside `name` and `curve` in the JSON document.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(plugin, forKey: .plugin)
        try container.encodeIfPresent(version, forKey: .version)
        if let score {
            try container.encode(score.pairs, forKey: .pairs)
            try container.encode(score.kept, forKey: .kept)
            try container.encode(score.p, forKey: .p)
            try container.encode(score.phi, forKey: .phi)
            try container.encode(score.psi, forKey: .psi)
            try container.encode(score.pStar, forKey: .pStar)
            try container.encode(score.phiInterval, forKey: .phiInterval)
            try container.encode(score.psiInterval, forKey: .psiInterval)
            try container.encode(score.pStarInterval, forKey: .pStarInterval)
        }
        try container.encode(curve, forKey: .curve)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        plugin = try container.decode(String.self, forKey: .plugin)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        curve = try container.decode([CurvePoint].self, forKey: .curve)
        if let pairs = try container.decodeIfPresent(Int.self, forKey: .pairs) {
            score = SelectionScore(
                pairs: pairs, kept: try container.decode(Int.self, forKey: .kept),
                p: try container.decode(Double.self, forKey: .p),
                phi: try container.decodeIfPresent(Double.self, forKey: .phi),
                phiInterval: try container.decodeIfPresent(SelectionScore.Interval.self, forKey: .phiInterval),
                psi: try container.decodeIfPresent(Double.self, forKey: .psi),
                psiInterval: try container.decodeIfPresent(SelectionScore.Interval.self, forKey: .psiInterval),
                pStar: try container.decodeIfPresent(Double.self, forKey: .pStar),
                pStarInterval: try container.decodeIfPresent(SelectionScore.Interval.self, forKey: .pStarInterval))
        }
    }
}

/// One chain of iterated retraining in one round (see IteratedRounds).
public struct RoundPoint: Codable, Equatable {
    public var round: Int
    /// A verifier's name, or "random" (no verification).
    public var selection: String
    /// Test accuracy of the model that synthesized this round's pool.
    public var generatorAccuracy: Double
    /// ϕ, ψ, p* of the selection on this round's pool.
    public var score: SelectionScore?
    /// The model retrained on the selection's first n' kept pairs (the
    /// largest n'); nil when it kept fewer.
    public var point: CurvePoint?

    enum CodingKeys: String, CodingKey {
        case round, selection, generatorAccuracy = "generator_accuracy", score, point
    }
}

public struct GeneratorSummary: Codable, Equatable {
    public var id: String
    public var version: String
    /// Test accuracy of the generator's own predictions.
    public var accuracy: Double
    public var agreement: Double?
    /// Error rate of its synthesized labels on the pool.
    public var p: Double
    /// The plugin's config as the run gave it (JSON).
    public var config: String?
}

/// What `assay run --json` prints and the results store keeps.
public struct ExperimentResult: Codable, Equatable {
    public var runID: Int64?
    public var seed: UInt64
    public var poolSize: Int
    public var testSize: Int
    public var generator: GeneratorSummary
    public var bayesAccuracy: Double?
    public var verifiers: [SelectionResult]
    /// "random" (unverified pairs) and "clean" (true labels).
    public var baselines: [SelectionResult]
    /// Iterated retraining, round 1 first; nil for a one-round run.
    public var rounds: [RoundPoint]?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", seed, poolSize = "pool_size", testSize = "test_size", generator
        case bayesAccuracy = "bayes_accuracy", verifiers, baselines, rounds
    }

    public func json(pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(json: String) throws -> ExperimentResult {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ExperimentResult.self, from: Data(json.utf8))
    }
}
