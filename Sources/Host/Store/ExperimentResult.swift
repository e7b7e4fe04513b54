import Foundation

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
