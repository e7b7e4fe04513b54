/// One field of one row as the file spells it, before the mapping says
/// what it must be.
public enum Cell: Equatable {
    /// The row has no such key (JSONL only; a CSV row always has every column).
    case absent
    /// JSON `null` or an empty CSV field.
    case null
    case number(Double)
    case boolean(Bool)
    case text(String)
    /// A JSON object or array.
    case composite

    /// The cell as an error message quotes it.
    public var quoted: String {
        switch self {
        case .absent: return "nothing (no such key)"
        case .null: return "an empty value"
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .boolean(let value): return String(value)
        case .text(let value): return "\"\(value)\""
        case .composite: return "an object or array"
        }
    }

    /// Whether the cell marks a value as not there (not audited, for the audit column).
    public var isEmpty: Bool {
        switch self {
        case .absent, .null: return true
        case .text(let value): return value.isEmpty
        default: return false
        }
    }
}
