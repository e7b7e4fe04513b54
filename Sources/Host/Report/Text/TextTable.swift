/// A plain-text table, as every command prints one: the header, a rule of
/// dashes, then the rows; columns two spaces apart, each padded to its
/// widest cell.
public enum TextTable {
    /// Which side of its column each cell keeps to.
    public enum Alignment {
        /// Numbers right, words left: a column is numeric when every row's
        /// cell starts with a digit, "—" or "-" (a header alone is left).
        case byContent
        /// The first column (the row's name) left, every other right.
        case labelThenNumbers
    }

    public static func render(header: [String], rows: [[String]], alignment: Alignment = .byContent) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let right = header.indices.map { column -> Bool in
            switch alignment {
            case .byContent:
                return !rows.isEmpty && rows.allSatisfy { row in
                    row[column].first.map { $0.isNumber || $0 == "—" || $0 == "-" } ?? true
                }
            case .labelThenNumbers:
                return column > 0
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return right[column] ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
