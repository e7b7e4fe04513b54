import ConfigKit

/// One experiment: a TOML file plus a seed. See configs/default.toml for a
/// commented example of every key, and `ConfigFile` for the host's own
/// `[quick]` and `[sweep]` tables.
public struct RunConfig {
    public var seed: UInt64
    public var threads: Int
    /// Synthesized pairs drawn, verified and scored.
    public var poolSize: Int
    /// Rows per chunk: bounded memory, and the unit of parallel work.
    public var chunkSize: Int
    public var testSize: Int
    /// Training-set sizes n' to retrain on.
    public var retrainSizes: [Int]
    /// Rounds of iterated retraining (`[retrain] rounds`): the model
    /// retrained on a selection's largest n' pairs in round r synthesizes
    /// that selection's pool in round r + 1. 1: the ordinary run.
    public var rounds: Int
    public var generator: PluginSpec
    public var verifiers: [PluginSpec]
    /// The TOML text as given, stored with the results.
    public var source: String
    public var path: String

    /// A config file that is one run (no `[sweep]`).
    public static func load(path: String) throws -> RunConfig {
        try ConfigFile.load(path: path).single()
    }

    public static func parse(_ text: String, path: String) throws -> RunConfig {
        try ConfigFile.parse(text, path: path).single()
    }

    /// The run of a config document already read into JSON values.
    public init(table: [String: Any], source: String, path: String) throws {
        self = try readingConfig { try RunConfig(ConfigReader(table: table, origin: path), source: source, path: path) }
    }

    private init(_ root: ConfigReader, source: String, path: String) throws {
        self.source = source
        self.path = path
        (seed, threads) = try root.seedAndThreads()

        let pool = try root.table("pool")
        poolSize = try pool.integer("size", in: 1...Int(Int32.max) * 64)
        chunkSize = try pool.integer("chunk", default: 8192, in: 1...1 << 22)
        try pool.finish()

        let test = try root.table("test")
        testSize = try test.integer("size", default: 100_000, in: 1...100_000_000)
        try test.finish()

        let retrain = try root.table("retrain")
        guard let sizes = try retrain.integers("n", in: 1...Int(Int32.max)), !sizes.isEmpty else {
            throw retrain.invalid("missing \"n\"; expected a non-empty array of training-set sizes")
        }
        retrainSizes = Array(Set(sizes)).sorted()
        rounds = try retrain.integer("rounds", default: 1, in: 1...100)
        try retrain.finish()

        generator = try PluginSpec(root.table("generator"))
        verifiers = try root.tableArray("verifier").map(PluginSpec.init)
        guard !verifiers.isEmpty else {
            throw root.invalid("no [[verifier]] tables; expected at least one verifier to score")
        }
        var names = Set(["random", "clean"])
        for verifier in verifiers where !names.insert(verifier.name).inserted {
            throw root.invalid("verifier name \"\(verifier.name)\" is used twice (or is a baseline's); expected unique names")
        }
        try root.finish()
    }
}
