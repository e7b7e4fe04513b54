import Foundation
import ConfigKit
import TOMLConfig

/// Which columns of a data file mean what: the row id, each verifier's
/// keep decision (or score and the rule that turns it into one), the
/// audited similarity, and the strata the audit was drawn from.
public struct AuditMapping: Equatable, Sendable {
    /// How a verifier column becomes a keep bit.
    public enum KeepRule: Equatable, Sendable {
        /// The column holds 0/1 (or false/true).
        case decision
        /// Keep the rows whose score is among the top `fraction` of the
        /// file's rows, round(fraction·N) of them; ties by row order.
        case topFraction(Double)
        /// Keep the rows whose score is at least the threshold.
        case threshold(Double)
    }

    public struct Verifier: Equatable, Sendable {
        public var name: String
        public var column: String
        public var rule: KeepRule

        public init(name: String, column: String, rule: KeepRule = .decision) {
            self.name = name
            self.column = column
            self.rule = rule
        }
    }

    /// What the audit was stratified by.
    public enum Strata: Equatable, Sendable {
        /// One stratum: the audit is a uniform sample of the pool.
        case none
        /// The values of a column (text or numbers).
        case column(String)
        /// The kept and dropped rows of one verifier ("kept", "dropped").
        case verifier(String)
    }

    public var idColumn: String
    /// The audited similarity s ∈ [0, 1] (1 = correct), or correctness as
    /// 0/1 or false/true; empty, null or absent = not audited.
    public var auditColumn: String
    public var verifiers: [Verifier]
    public var strata: Strata
    /// Known pool sizes per stratum; nil = the file's row counts.
    public var poolSizes: [String: Int]?
    public var format: DataFormat?

    public init(idColumn: String = "id", auditColumn: String = "audit", verifiers: [Verifier] = [],
                strata: Strata = .none, poolSizes: [String: Int]? = nil, format: DataFormat? = nil) {
        self.idColumn = idColumn
        self.auditColumn = auditColumn
        self.verifiers = verifiers
        self.strata = strata
        self.poolSizes = poolSizes
        self.format = format
    }

    /// The most verifiers a mapping may name: keep bits travel as one
    /// 64-bit pattern per row.
    public static let maximumVerifiers = 62

    /// Checks what the file cannot: names unique, rules in range, the
    /// stratifying verifier exists.
    public func validate(source: String) throws {
        guard !verifiers.isEmpty else { throw AuditError("\(source): the mapping names no verifier column") }
        guard verifiers.count <= Self.maximumVerifiers else {
            throw AuditError("\(source): \(verifiers.count) verifiers; at most \(Self.maximumVerifiers)")
        }
        var seen = Set<String>()
        for verifier in verifiers {
            guard seen.insert(verifier.name).inserted else {
                throw AuditError("\(source): verifier '\(verifier.name)' is named twice")
            }
            if case .topFraction(let fraction) = verifier.rule, !(fraction >= 0 && fraction <= 1) {
                throw AuditError("\(source): verifier '\(verifier.name)': fraction must be in [0, 1], got \(fraction)")
            }
            if case .threshold(let value) = verifier.rule, !value.isFinite {
                throw AuditError("\(source): verifier '\(verifier.name)': threshold must be a finite number")
            }
        }
        if case .verifier(let name) = strata, !seen.contains(name) {
            throw AuditError("\(source): stratum = \"keep:\(name)\" names no verifier of the mapping")
        }
        for (stratum, size) in poolSizes ?? [:] where size < 0 {
            throw AuditError("\(source): pool size of stratum '\(stratum)' must be ≥ 0, got \(size)")
        }
    }

    /// The [audit] table of a TOML file; see docs/AUDIT.md for its keys.
    public static func load(path: String) throws -> AuditMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError("\(path): cannot read the mapping")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String) throws -> AuditMapping {
        let root: [String: Any]
        do {
            root = try TOMLDocument.table(text, source: source)
        } catch let error as ConfigError {
            throw AuditError(error.message)
        }
        guard let table = root["audit"] as? [String: Any] else {
            throw AuditError("\(source): no [audit] table")
        }
        let known: Set<String> = ["id", "audit", "stratum", "pool", "verifier", "format"]
        for key in table.keys where !known.contains(key) {
            throw AuditError("\(source): [audit]: unknown key '\(key)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        var mapping = AuditMapping()
        mapping.idColumn = try string(table, "id", in: source, default: "id")
        mapping.auditColumn = try string(table, "audit", in: source, default: "audit")
        if table["format"] != nil {
            let name = try string(table, "format", in: source, default: "")
            guard let format = DataFormat(rawValue: name) else {
                throw AuditError("\(source): [audit] format: expected \"jsonl\" or \"csv\", got \"\(name)\"")
            }
            mapping.format = format
        }
        if table["stratum"] != nil {
            mapping.strata = parseStrata(try string(table, "stratum", in: source, default: ""))
        }
        if let pool = table["pool"] {
            guard let pool = pool as? [String: Any] else { throw AuditError("\(source): [audit.pool] must be a table of stratum = rows") }
            var sizes: [String: Int] = [:]
            for (stratum, value) in pool {
                guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                      number.doubleValue == number.doubleValue.rounded() else {
                    throw AuditError("\(source): [audit.pool] \(stratum): expected a whole number of rows")
                }
                sizes[stratum] = number.intValue
            }
            mapping.poolSizes = sizes
        }
        guard let verifiers = table["verifier"] as? [[String: Any]] else {
            throw AuditError("\(source): no [[audit.verifier]] entries")
        }
        for (i, entry) in verifiers.enumerated() {
            let place = "\(source): [[audit.verifier]] #\(i + 1)"
            for key in entry.keys where !["name", "column", "fraction", "threshold"].contains(key) {
                throw AuditError("\(place): unknown key '\(key)' (known: column, fraction, name, threshold)")
            }
            let column = try string(entry, "column", in: place, default: nil)
            let name = try string(entry, "name", in: place, default: column)
            var rule = KeepRule.decision
            if entry["fraction"] != nil, entry["threshold"] != nil {
                throw AuditError("\(place): give fraction or threshold, not both")
            }
            if entry["fraction"] != nil { rule = .topFraction(try number(entry, "fraction", in: place)) }
            if entry["threshold"] != nil { rule = .threshold(try number(entry, "threshold", in: place)) }
            mapping.verifiers.append(Verifier(name: name, column: column, rule: rule))
        }
        try mapping.validate(source: source)
        return mapping
    }

    /// "keep:NAME" stratifies by a verifier's decisions, anything else names a column.
    public static func parseStrata(_ text: String) -> Strata {
        if text.isEmpty { return .none }
        if text.hasPrefix("keep:") { return .verifier(String(text.dropFirst(5))) }
        return .column(text)
    }

    private static func string(_ table: [String: Any], _ key: String, in place: String, default fallback: String?) throws -> String {
        guard let value = table[key] else {
            if let fallback { return fallback }
            throw AuditError("\(place): missing key '\(key)'")
        }
        guard let text = value as? String, !text.isEmpty else {
            throw AuditError("\(place): '\(key)' must be a non-empty string")
        }
        return text
    }

    private static func number(_ table: [String: Any], _ key: String, in place: String) throws -> Double {
        guard let number = table[key] as? NSNumber, String(cString: number.objCType) != "c" else {
            throw AuditError("\(place): '\(key)' must be a number")
        }
        return number.doubleValue
    }
}
