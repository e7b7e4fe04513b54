import AssayHost
import Foundation
import ConfigKit

/// What `assay candidates` runs: a generator, a seed, and how many
/// candidates to propose per test input.
///
/// ```toml
/// seed = 1
/// threads = 2                  # default: all cores
/// [generator]
/// plugin = "symmetric-eigen"   # and the plugin's own keys
/// [candidates]
/// k = [1, 5, 10, 25, 50]       # candidates per input, each k a column of the table
/// size = 20_000                # test inputs
/// chunk = 2048                 # inputs per chunk (memory bound, unit of parallel work)
/// first = "predict"            # candidate 1: the model's prediction, or "synthesize" (a draw like the others)
/// [quick]                      # optional: overrides for `--quick`, e.g.
/// generator = { n0 = 5_000 }
/// ```
public struct CandidatesConfig {
    /// What the first candidate of every input is.
    public enum FirstCandidate: String, CaseIterable, Codable {
        /// The model's single most likely label (label mode PREDICT), the
        /// analog of greedy decoding: k = 1 is the model's own answer.
        case predict
        /// A synthesized label like every other candidate.
        case synthesize
    }

    public var seed: UInt64
    public var threads: Int
    public var testSize: Int
    public var chunkSize: Int
    /// Candidate counts, ascending, each at least 1.
    public var ks: [Int]
    public var first: FirstCandidate
    public var generator: PluginSpec
    /// The TOML text as given, and where it came from.
    public var source: String
    public var path: String

    /// Reads the file like a run config (ConfigFile), so `--quick` lays its
    /// `[quick]` table over the rest; `[sweep]` and `[report]` belong to
    /// `assay run` and are refused here.
    public static func load(path: String, quick: Bool = false) throws -> CandidatesConfig {
        try CandidatesConfig(ConfigFile.load(path: path, quick: quick))
    }

    public static func parse(_ text: String, path: String, quick: Bool = false) throws -> CandidatesConfig {
        try CandidatesConfig(ConfigFile.parse(text, path: path, quick: quick))
    }

    private init(_ file: ConfigFile) throws {
        guard file.axes.isEmpty, file.claims.isEmpty else {
            throw AssayError("\(file.path): [sweep] and [report] are for `assay run`; `assay candidates` runs one config")
        }
        self = try readingConfig {
            try CandidatesConfig(ConfigReader(table: file.table, origin: file.path), source: file.source, path: file.path)
        }
    }

    private init(_ root: ConfigReader, source: String, path: String) throws {
        self.source = source
        self.path = path
        (seed, threads) = try root.seedAndThreads()

        let table = try root.table("candidates")
        let ks = try table.integers("k", in: 1...10_000) ?? [1, 5, 10, 25, 50]
        guard !ks.isEmpty else {
            throw ConfigError("\(table.origin): \"k\" must list at least one candidate count, e.g. [1, 5, 10, 25, 50]")
        }
        self.ks = Array(Set(ks)).sorted()
        testSize = try table.integer("size", default: 20_000, in: 1...100_000_000)
        chunkSize = try table.integer("chunk", default: 2048, in: 1...1 << 20)
        first = FirstCandidate(rawValue: try table.string(
            "first", default: FirstCandidate.predict.rawValue, oneOf: FirstCandidate.allCases.map(\.rawValue)))!
        try table.finish()

        generator = try PluginSpec(root.table("generator"))
        try root.finish()
    }
}
