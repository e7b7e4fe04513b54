import Foundation
import TOMLConfig

/// A config file read as TOML, before it becomes one or more run configs.
///
/// Two top-level tables are the host's, not the experiment's:
///
/// - `[quick]` mirrors the rest of the file and overrides it, key by key
///   (tables merge, every other value replaces), when asked for — how a
///   full-scale config carries its own small version for tests;
/// - `[sweep]` maps a dotted path (`"generator.n0"`, `"seed"`,
///   `"verifier.oracle.threshold"`) to an array of values; the file stands
///   for one run per combination (see `SweepPlan`);
/// - `[report]` says what to check beyond the usual tables: `claims =
///   ["figure3", "figure4", "rounds"]` (names only; the claims themselves
///   are the studies', see AssayStudies' `ClaimRegistry`).
public struct ConfigFile {
    public let path: String
    /// The text as given, stored with every run made from it.
    public let source: String
    /// The document without `[quick]` and `[sweep]`, as JSON values.
    public var table: [String: Any]
    /// The `[sweep]` axes, sorted by path.
    public let axes: [SweepAxis]
    /// `[report] claims`: the names of the claims to check, as given. The
    /// host knows no claim; the CLI's registry (AssayStudies) checks the
    /// names and renders them.
    public let claims: [String]

    public static func load(path: String, quick: Bool = false) throws -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AssayError("\(path): cannot read the run config")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, quick: quick)
    }

    public static func parse(_ text: String, path: String, quick: Bool = false) throws -> ConfigFile {
        // Plain Foundation values, easy to merge and copy.
        var table = try readingConfig { try TOMLDocument.table(text, source: path) }
        let overrides = table.removeValue(forKey: "quick")
        if quick {
            guard let overrides = overrides as? [String: Any] else {
                throw AssayError(overrides == nil
                    ? "\(path): --quick needs a [quick] table of overrides; this config has none"
                    : "\(path): \"quick\" must be a table ([quick]) of overrides")
            }
            table = merge(overrides, into: table)
        }
        let axes = try SweepAxis.parse(table.removeValue(forKey: "sweep"), path: path)
        let claims = try parseClaims(table.removeValue(forKey: "report"), path: path)
        return ConfigFile(path: path, source: text, table: table, axes: axes, claims: claims)
    }

    private static func parseClaims(_ raw: Any?, path: String) throws -> [String] {
        guard let raw else { return [] }
        guard let report = raw as? [String: Any] else { throw AssayError("\(path): \"report\" must be a table ([report])") }
        if let key = report.keys.sorted().first(where: { $0 != "claims" }) {
            throw AssayError("\(path) [report]: unknown key \"\(key)\"; expected claims")
        }
        guard let names = (report["claims"] ?? []) as? [String] else {
            throw AssayError("\(path) [report]: \"claims\" must be an array of claim names (strings), e.g. [\"figure3\"]")
        }
        return names
    }

    /// The file as one run config; an error if it is a sweep.
    public func single() throws -> RunConfig {
        guard axes.isEmpty else {
            throw AssayError("\(path): [sweep] makes this config \(SweepPlan.count(axes)) runs; use `assay run` on it")
        }
        return try RunConfig(table: table, source: source, path: path)
    }

    /// `overrides` laid over `base`: nested tables merge, anything else
    /// (numbers, strings, arrays, arrays of tables) replaces.
    static func merge(_ overrides: [String: Any], into base: [String: Any]) -> [String: Any] {
        var merged = base
        for (key, value) in overrides {
            if let inner = value as? [String: Any], let existing = base[key] as? [String: Any] {
                merged[key] = merge(inner, into: existing)
            } else {
                merged[key] = value
            }
        }
        return merged
    }
}
