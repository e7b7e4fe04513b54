import Foundation

/// A config table with typed accessors, read the same way by the host (its
/// TOML run configs, as JSON values) and by plugins (their JSON configs).
/// Every accessor records the key it read, so that `finish()` can reject
/// keys nobody asked for: a typo in a config is an error, never a silently
/// ignored setting. Every error is a `ConfigError` of one line that starts
/// with `origin` ("configs/default.toml [pool]", "oracle config").
public final class ConfigReader {
    private let values: [String: Any]
    private var read: Set<String> = []
    /// Where the values came from, for messages ("oracle config").
    public let origin: String

    public init(json: String, origin: String) throws {
        self.origin = origin
        let data = Data(json.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let table = object as? [String: Any] else {
            throw ConfigError("\(origin): expected a JSON object, got \(json.prefix(80))")
        }
        values = table
    }

    public init(table: [String: Any], origin: String) {
        self.values = table
        self.origin = origin
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    /// An error about this table, worded like the readers' own:
    /// `origin: message`.
    public func invalid(_ message: String) -> ConfigError {
        ConfigError("\(origin): \(message)")
    }

    public func number(_ key: String, default fallback: Double? = nil, in range: ClosedRange<Double>? = nil) throws -> Double {
        read.insert(key)
        guard let raw = values[key] else {
            guard let fallback else { throw missing(key, "a number") }
            return fallback
        }
        guard let number = numeric(raw), number.doubleValue.isFinite else {
            throw wrong(key, "a finite number", raw)
        }
        let value = number.doubleValue
        if let range, !range.contains(value) {
            throw wrong(key, "a number in [\(range.lowerBound), \(range.upperBound)]", raw)
        }
        return value
    }

    public func integer(_ key: String, default fallback: Int? = nil, in range: ClosedRange<Int>? = nil) throws -> Int {
        read.insert(key)
        guard let raw = values[key] else {
            guard let fallback else { throw missing(key, "an integer") }
            return fallback
        }
        guard let number = numeric(raw),
              number.doubleValue.rounded() == number.doubleValue, abs(number.doubleValue) < 9e15 else {
            throw wrong(key, "an integer", raw)
        }
        let value = number.intValue
        if let range, !range.contains(value) {
            throw wrong(key, "an integer in [\(range.lowerBound), \(range.upperBound)]", raw)
        }
        return value
    }

    public func string(_ key: String, default fallback: String? = nil, oneOf choices: [String]? = nil) throws -> String {
        read.insert(key)
        guard let raw = values[key] else {
            guard let fallback else { throw missing(key, "a string") }
            return fallback
        }
        guard let value = raw as? String else { throw wrong(key, "a string", raw) }
        if let choices, !choices.contains(value) {
            throw wrong(key, "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", "), raw)
        }
        return value
    }

    public func numbers(_ key: String) throws -> [Double]? {
        read.insert(key)
        guard let raw = values[key] else { return nil }
        guard let array = raw as? [Any] else { throw wrong(key, "an array of numbers", raw) }
        return try array.map { element in
            guard let number = numeric(element), number.doubleValue.isFinite else {
                throw wrong(key, "an array of finite numbers", raw)
            }
            return number.doubleValue
        }
    }

    /// A nested table whose keys are names, each a table of its own, e.g.
    /// `models = { strong = { n0 = 20000 } }`.
    public func tables(_ key: String) throws -> [(name: String, config: ConfigReader)] {
        read.insert(key)
        guard let raw = values[key] else { return [] }
        guard let table = raw as? [String: Any] else { throw wrong(key, "a table of tables", raw) }
        return try table.keys.sorted().map { name in
            guard let inner = table[name] as? [String: Any] else { throw wrong("\(key).\(name)", "a table", table[name]!) }
            return (name, ConfigReader(table: inner, origin: "\(origin) \(key).\(name)"))
        }
    }

    public func integers(_ key: String, in range: ClosedRange<Int>) throws -> [Int]? {
        guard let values = try numbers(key) else { return nil }
        return try values.map { value in
            guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
                throw wrong(key, "an array of integers in [\(range.lowerBound), \(range.upperBound)]", values)
            }
            return Int(value)
        }
    }

    /// A sub-table (`[pool]` in TOML); empty when absent.
    public func table(_ key: String) throws -> ConfigReader {
        read.insert(key)
        guard let raw = values[key] else { return ConfigReader(table: [:], origin: "\(origin) [\(key)]") }
        guard let table = raw as? [String: Any] else { throw wrong(key, "a table", raw) }
        return ConfigReader(table: table, origin: "\(origin) [\(key)]")
    }

    /// An array of tables (`[[verifier]]` in TOML); empty when absent.
    public func tableArray(_ key: String) throws -> [ConfigReader] {
        read.insert(key)
        guard let raw = values[key] else { return [] }
        guard let array = raw as? [[String: Any]] else { throw wrong(key, "an array of tables", raw) }
        return array.enumerated().map { ConfigReader(table: $1, origin: "\(origin) [[\(key)]] #\($0 + 1)") }
    }

    /// The table as JSON text without `excluded` keys, which count as read:
    /// how a host hands the rest of a table to a plugin.
    public func json(excluding excluded: Set<String>) throws -> String {
        read.formUnion(values.keys)
        let rest = values.filter { !excluded.contains($0.key) }
        let data = try JSONSerialization.data(withJSONObject: rest, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Throws if the config holds a key no accessor asked for.
    public func finish() throws {
        let unknown = Set(values.keys).subtracting(read).sorted()
        if let first = unknown.first {
            let known = read.sorted().joined(separator: ", ")
            throw invalid("unknown key \"\(first)\"; expected one of: \(known)")
        }
    }

    /// A JSON number, not a JSON boolean. `raw is Bool` cannot tell them
    /// apart on Linux, where any NSNumber equal to 0 or 1 casts to Bool;
    /// booleans are the NSNumbers of Objective-C type "c".
    private func numeric(_ raw: Any) -> NSNumber? {
        guard let number = raw as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return number
    }

    private func missing(_ key: String, _ expected: String) -> ConfigError {
        invalid("missing \"\(key)\"; expected \(expected)")
    }

    private func wrong(_ key: String, _ expected: String, _ raw: Any) -> ConfigError {
        invalid("\"\(key)\" must be \(expected), got \(raw)")
    }
}
