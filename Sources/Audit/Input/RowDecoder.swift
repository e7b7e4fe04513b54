/// Turns a row's cells into what the mapping says they mean, with the
/// one-line error ("column 'keep_judge': expected 0 or 1, got 2") when a cell
/// is not that. TableReader prefixes the file and line.
struct RowDecoder {
    let mapping: AuditMapping
    /// The distinct columns to read, and where each meaning finds its cell.
    let columns: [String]
    let idIndex: Int
    let auditIndex: Int
    let stratumIndex: Int?
    let verifierIndex: [Int]

    init(mapping: AuditMapping) {
        self.mapping = mapping
        var columns: [String] = []
        func index(_ name: String) -> Int {
            if let i = columns.firstIndex(of: name) { return i }
            columns.append(name)
            return columns.count - 1
        }
        idIndex = index(mapping.idColumn)
        auditIndex = index(mapping.auditColumn)
        if case .column(let name) = mapping.strata { stratumIndex = index(name) } else { stratumIndex = nil }
        verifierIndex = mapping.verifiers.map { index($0.column) }
        self.columns = columns
    }

    func id(_ cells: [Cell]) throws -> String {
        switch cells[idIndex] {
        case .text(let text) where !text.isEmpty: return text
        case .number(let value): return Cell.number(value).quoted
        case let cell: throw AuditError("column '\(mapping.idColumn)': expected a row id, got \(cell.quoted)")
        }
    }

    /// The similarity, or nil for a row that was not audited.
    func similarity(_ cells: [Cell]) throws -> Double? {
        let cell = cells[auditIndex]
        if cell.isEmpty { return nil }
        switch cell {
        case .boolean(let value): return value ? 1 : 0
        case .number(let value) where value >= 0 && value <= 1: return value
        default:
            throw AuditError("column '\(mapping.auditColumn)': expected a similarity in [0, 1] or true/false (empty = not audited), got \(cell.quoted)")
        }
    }

    func stratumLabel(_ cells: [Cell]) throws -> String? {
        guard let stratumIndex else { return nil }
        switch cells[stratumIndex] {
        case .text(let text) where !text.isEmpty: return text
        case .number(let value): return Cell.number(value).quoted
        case .boolean(let value): return String(value)
        case let cell:
            guard case .column(let name) = mapping.strata else { return nil }
            throw AuditError("column '\(name)': expected a stratum label, got \(cell.quoted)")
        }
    }

    /// A decision column's keep bit.
    func decision(_ cells: [Cell], verifier v: Int) throws -> Bool {
        let cell = cells[verifierIndex[v]]
        switch cell {
        case .boolean(let value): return value
        case .number(0): return false
        case .number(1): return true
        default: throw AuditError("column '\(mapping.verifiers[v].column)': expected 0 or 1, got \(cell.quoted)")
        }
    }

    /// A score column's value.
    func score(_ cells: [Cell], verifier v: Int) throws -> Double {
        let cell = cells[verifierIndex[v]]
        guard case .number(let value) = cell, value.isFinite else {
            throw AuditError("column '\(mapping.verifiers[v].column)': expected a number (a score), got \(cell.quoted)")
        }
        return value
    }
}
