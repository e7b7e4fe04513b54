/// The two file formats `assay audit` reads.
public enum DataFormat: String, CaseIterable, Sendable {
    case jsonl, csv

    /// From the file name: .jsonl/.ndjson/.json are JSONL, .csv is CSV.
    public static func infer(path: String) throws -> DataFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        throw AuditError("\(path): cannot tell the format from the name; set format = \"jsonl\" or \"csv\" in [audit] (or --format)")
    }
}

/// Streams the rows of a JSONL or CSV file, handing over only the wanted
/// columns. Memory is the line reader's chunk plus one row's cells.
public struct TableReader {
    public let path: String
    public let format: DataFormat
    public let columns: [String]

    public init(path: String, format: DataFormat, columns: [String]) {
        self.path = path
        self.format = format
        self.columns = columns
    }

    /// Calls `body` with each row's cells (in the order of `columns`) and its
    /// line number. Errors, the reader's and the body's, carry "path:line: ".
    public func forEachRow(_ body: ([Cell], Int) throws -> Void) throws {
        var cells = [Cell](repeating: .absent, count: columns.count)
        let json = format == .jsonl ? JSONLineParser(columns: columns) : nil
        var csv: CSVLineParser?
        var sawHeader = false
        try LineReader(path: path).forEachLine { line, number in
            do {
                if let json {
                    guard try json.parse(line, into: &cells) else { return }
                } else if let csv {
                    guard try csv.parse(line, into: &cells) else { return }
                } else {
                    csv = try CSVLineParser(header: line, columns: columns)
                    sawHeader = true
                    return
                }
                try body(cells, number)
            } catch let error as AuditError {
                throw AuditError("\(path):\(number): \(error.description)")
            }
        }
        if format == .csv, !sawHeader {
            throw AuditError("\(path): empty CSV file (a header line is needed)")
        }
    }
}
