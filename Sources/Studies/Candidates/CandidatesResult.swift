import AssayHost
import Foundation

/// What `assay candidates` measured: per candidate count k, the accuracy
/// of the best of k candidates by the truth (an oracle that verifies them
/// all) and of the one the generator itself likes best.
public struct CandidatesResult: Codable, Equatable {
    public struct Row: Codable, Equatable {
        public var k: Int
        /// Mean over test inputs of the highest similarity among the first
        /// k candidates: with 0/1 similarity, the fraction of inputs that
        /// have a correct candidate among them.
        public var oracle: Double
        /// Mean similarity of the candidate with the highest log-likelihood
        /// under "generator" among the first k (ties: the earliest).
        public var selfSelected: Double

        enum CodingKeys: String, CodingKey {
            case k, oracle, selfSelected = "self_selected"
        }
    }

    public var runID: Int64?
    public var seed: UInt64
    public var testSize: Int
    public var generator: String
    public var generatorVersion: String
    public var first: CandidatesConfig.FirstCandidate
    /// Mean similarity of one synthesized candidate (over every synthesized
    /// candidate of every input); nil when there were none (k = [1] with
    /// first = "predict").
    public var synthesizedAccuracy: Double?
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", seed, testSize = "test_size", generator, generatorVersion = "generator_version", first
        case synthesizedAccuracy = "synthesized_accuracy", rows
    }

    public func json(pretty: Bool = true) throws -> String {
        try JSONDocument.encode(self, pretty: pretty)
    }

    public static func decode(json: String) throws -> CandidatesResult {
        try JSONDocument.decode(CandidatesResult.self, from: json, source: "the candidates document")
    }

    public func render() -> String {
        let firstNote = first == .predict
            ? "candidate 1 is the model's prediction (label mode predict), the others synthesized"
            : "every candidate synthesized"
        let header = "generator \(generator) \(generatorVersion), \(testSize) test inputs, seed \(seed); \(firstNote)"
            + (synthesizedAccuracy.map { "; mean similarity of one synthesized candidate \(ResultTables.fixed($0))" } ?? "")
        let table = TextTable.render(
            header: ["k", "oracle: best of k", "self-selected: highest log-likelihood"],
            rows: rows.map { ["\($0.k)", ResultTables.fixed($0.oracle), ResultTables.fixed($0.selfSelected)] })
        return header + "\n\n" + table
    }
}
