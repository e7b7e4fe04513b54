import Foundation

/// What `assay run --json` prints and the results store keeps; its JSON
/// document carries the format's "schema" version beside these members.
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

    /// The result as a document (JSONDocument): what `assay run --json`
    /// prints, the store keeps and the embedding returns.
    public func json(pretty: Bool = true) throws -> String {
        try JSONDocument.encode(self, pretty: pretty)
    }

    /// Reads a document `json` wrote, strictly; `source` names it in errors.
    public static func decode(json: String, source: String) throws -> ExperimentResult {
        try JSONDocument.decode(ExperimentResult.self, from: json, source: source)
    }
}
