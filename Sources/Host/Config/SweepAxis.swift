import Foundation

/// One `[sweep]` entry: a dotted path into the config and the values it
/// takes, e.g. `"generator.n0" = [200, 1000, 5000]`.
///
/// A path walks tables by key, except that `verifier.NAME` picks the
/// `[[verifier]]` table called NAME. Every table on the way must exist;
/// the last key may be new (the plugin then checks it like any other).
public struct SweepAxis {
    public let path: String
    public let values: [Any]

    static func parse(_ raw: Any?, path file: String) throws -> [SweepAxis] {
        guard let raw else { return [] }
        guard let table = raw as? [String: Any] else {
            throw AssayError("\(file): \"sweep\" must be a table ([sweep]) of paths to arrays of values")
        }
        guard !table.isEmpty else { throw AssayError("\(file) [sweep]: empty; expected at least one \"path\" = [values]") }
        return try table.keys.sorted().map { path in
            guard let values = table[path] as? [Any], !values.isEmpty else {
                throw AssayError("\(file) [sweep]: \"\(path)\" must be a non-empty array of values, got \(table[path]!)")
            }
            if path == "sweep" || path == "quick" || path.hasPrefix("sweep.") || path.hasPrefix("quick.") {
                throw AssayError("\(file) [sweep]: \"\(path)\" cannot be swept; expected a path into the experiment's tables")
            }
            return SweepAxis(path: path, values: values)
        }
    }

    /// `table` with this axis set to `value`.
    func set(_ value: Any, in table: [String: Any], file: String) throws -> [String: Any] {
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keys.contains("") else { throw AssayError("\(file) [sweep]: \"\(path)\" has an empty path segment") }
        return try set(value, at: keys[...], in: table, file: file)
    }

    private func set(_ value: Any, at keys: ArraySlice<String>, in table: [String: Any], file: String) throws -> [String: Any] {
        var table = table
        let key = keys.first!
        let rest = keys.dropFirst()
        if rest.isEmpty {
            table[key] = value
            return table
        }
        if key == "verifier", let verifiers = table[key] as? [[String: Any]] {
            let name = rest.first!
            guard let index = verifiers.firstIndex(where: { ($0["name"] ?? $0["plugin"]) as? String == name }) else {
                let known = verifiers.compactMap { ($0["name"] ?? $0["plugin"]) as? String }.joined(separator: ", ")
                throw AssayError("\(file) [sweep]: \"\(path)\": no verifier named \"\(name)\"; known: \(known)")
            }
            guard rest.count >= 2 else {
                throw AssayError("\(file) [sweep]: \"\(path)\" names a verifier; expected verifier.\(name).KEY")
            }
            var updated = verifiers
            updated[index] = try set(value, at: rest.dropFirst(), in: verifiers[index], file: file)
            table[key] = updated
            return table
        }
        guard let inner = table[key] as? [String: Any] else {
            throw AssayError("\(file) [sweep]: \"\(path)\": the config has no table \"\(key)\" to set \"\(rest.joined(separator: "."))\" in")
        }
        table[key] = try set(value, at: rest, in: inner, file: file)
        return table
    }
}
