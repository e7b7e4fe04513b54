import ArgumentParser
import AssayAudit
import Foundation

/// `assay audit DATA`: ϕ, ψ, p* of each verifier of a data file from its
/// audited rows, with intervals, the verdict p < p*, the ranking, the label
/// model and (--plan) the rows to audit next. See docs/AUDIT.md.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Estimate each verifier's ϕ, ψ and p* of a JSONL or CSV pool from its audited rows.",
        discussion: """
            The mapping (an [audit] table in --config, or the flags) names the row id column, the \
            verifier columns (0/1 decisions, or scores with a top fraction or a threshold), the audit \
            column (similarity in [0, 1] or correctness; empty = not audited) and the strata the \
            audit was drawn from. The file is streamed; memory does not grow with its rows. \
            Nothing is stored; --plan-output writes the ids of the rows to audit next.
            """
    )

    @Argument(help: "The data file (.jsonl or .csv).")
    var data: String

    @Option(help: "A TOML file with an [audit] mapping table (docs/AUDIT.md).")
    var config: String?

    @Option(help: "The row id column (default: id).")
    var id: String?

    @Option(name: .customLong("audit-column"), help: "The audited similarity/correctness column (default: audit).")
    var auditColumn: String?

    @Option(name: .customLong("keep"), help: "A 0/1 decision column, NAME=COLUMN or COLUMN (repeatable).")
    var keeps: [String] = []

    @Option(name: .customLong("top"), help: "A score column kept at its top fraction: NAME=COLUMN:FRACTION (repeatable).")
    var tops: [String] = []

    @Option(name: .customLong("threshold"), help: "A score column kept at score ≥ value: NAME=COLUMN:VALUE (repeatable).")
    var thresholds: [String] = []

    @Option(help: "The stratum column, or keep:VERIFIER for that verifier's kept/dropped rows.")
    var stratum: String?

    @Option(name: .customLong("pool"), help: "A known pool size, STRATUM=ROWS (repeatable; default: the file's counts).")
    var pools: [String] = []

    @Option(help: "jsonl or csv (default: from the file name).")
    var format: String?

    @Flag(help: "Plan the next audits (Neyman allocation) and draw their rows.")
    var plan = false

    @Option(name: .customLong("half-width"), help: "The plan's target half-width of each p* interval.")
    var halfWidth = 0.02

    @Flag(help: "Plan to separate the two best verifiers instead of narrowing every p*.")
    var separate = false

    @Option(help: "The seed of the plan's draw.")
    var seed: UInt64 = 1

    @Option(name: .customLong("plan-output"), help: "Write the plan's row ids here (one per line: stratum<TAB>id).")
    var planOutput: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    mutating func run() throws {
        do { try execute() } catch { throw fail(error) }
    }

    private func execute() throws {
        var mapping = try config.map { try AuditMapping.load(path: $0) } ?? AuditMapping()
        if let id { mapping.idColumn = id }
        if let auditColumn { mapping.auditColumn = auditColumn }
        if let stratum { mapping.strata = AuditMapping.parseStrata(stratum) }
        if let format {
            guard let parsed = DataFormat(rawValue: format) else { throw AuditError("--format: expected jsonl or csv, got '\(format)'") }
            mapping.format = parsed
        }
        for keep in keeps {
            let (name, column) = split(keep, "=")
            mapping.verifiers.append(.init(name: name, column: column ?? name))
        }
        for (flag, specs) in [("--top", tops), ("--threshold", thresholds)] {
            for spec in specs {
                let (name, rest) = split(spec, "=")
                guard let rest, let colon = rest.lastIndex(of: ":"), let value = Double(rest[rest.index(after: colon)...]) else {
                    throw AuditError("\(flag) \(spec): expected NAME=COLUMN:NUMBER")
                }
                let column = String(rest[..<colon])
                mapping.verifiers.append(.init(name: name, column: column, rule: flag == "--top" ? .topFraction(value) : .threshold(value)))
            }
        }
        if !pools.isEmpty {
            var sizes = mapping.poolSizes ?? [:]
            for pool in pools {
                let (label, value) = split(pool, "=")
                guard let value, let rows = Int(value), rows >= 0 else { throw AuditError("--pool \(pool): expected STRATUM=ROWS") }
                sizes[label] = rows
            }
            mapping.poolSizes = sizes
        }
        let options = AuditRun.Options(plan: plan || planOutput != nil, halfWidth: halfWidth, separate: separate, seed: seed)
        let result = try AuditRun(path: data, mapping: mapping, options: options).run()
        if let planOutput, let drawn = result.plan {
            // Whole file or nothing: written beside the target and renamed.
            let text = drawn.ids.keys.sorted().flatMap { label in drawn.ids[label]!.map { "\(label)\t\($0)\n" } }.joined()
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: planOutput), options: .atomic)
            } catch {
                throw AuditError("\(planOutput): cannot write the plan's ids: \(error.localizedDescription)")
            }
        }
        print(json ? try AuditText.json(result) : AuditText.render(result))
    }

    private func split(_ text: String, _ separator: Character) -> (String, String?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }
}
