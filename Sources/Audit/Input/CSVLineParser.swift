/// Reads the wanted columns of one CSV line (RFC 4180 fields: comma
/// separated, double-quoted where they hold commas or quotes, "" for a
/// quote). A quoted field may not span lines: the reader is line-based, and
/// a row's line number must be the file's.
struct CSVLineParser {
    /// Where each wanted column sits in a row.
    let positions: [Int]
    let fieldCount: Int

    /// The header line names the columns; every wanted one must be there.
    init(header: UnsafeBufferPointer<UInt8>, columns: [String]) throws {
        let names = try Self.fields(header).map { String(decoding: $0, as: UTF8.self) }
        var positions: [Int] = []
        for column in columns {
            guard let position = names.firstIndex(of: column) else {
                throw AuditError("no column '\(column)' in the header (it has \(names.map { "'\($0)'" }.joined(separator: ", ")))")
            }
            positions.append(position)
        }
        self.positions = positions
        fieldCount = names.count
    }

    func parse(_ line: UnsafeBufferPointer<UInt8>, into cells: inout [Cell]) throws -> Bool {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return false }
        let fields = try Self.fields(line)
        guard fields.count == fieldCount else {
            throw AuditError("expected \(fieldCount) fields as in the header, got \(fields.count)")
        }
        for (i, position) in positions.enumerated() {
            cells[i] = Self.cell(fields[position])
        }
        return true
    }

    /// CSV has no types: empty is null, true/false are booleans, what
    /// parses as a number is one, and the rest is text.
    static func cell(_ bytes: [UInt8]) -> Cell {
        if bytes.isEmpty { return .null }
        let text = String(decoding: bytes, as: UTF8.self)
        switch text {
        case "true", "TRUE", "True": return .boolean(true)
        case "false", "FALSE", "False": return .boolean(false)
        default: break
        }
        if let number = Double(text), number.isFinite { return .number(number) }
        return .text(text)
    }

    static func fields(_ line: UnsafeBufferPointer<UInt8>) throws -> [[UInt8]] {
        var fields: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        var quoted = false
        var fieldStart = true
        while index < line.count {
            let byte = line[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < line.count, line[index + 1] == UInt8(ascii: "\"") {
                        current.append(byte); index += 2; continue
                    }
                    quoted = false
                    index += 1
                    guard index == line.count || line[index] == UInt8(ascii: ",") else {
                        throw AuditError("text after a closing quote at byte \(index + 1)")
                    }
                    continue
                }
                current.append(byte)
            } else if byte == UInt8(ascii: ",") {
                fields.append(current); current = []; fieldStart = true; index += 1; continue
            } else if byte == UInt8(ascii: "\""), fieldStart {
                quoted = true
            } else {
                current.append(byte)
            }
            fieldStart = false
            index += 1
        }
        if quoted { throw AuditError("a quoted field runs past the end of the line (multi-line fields are not supported)") }
        fields.append(current)
        return fields
    }
}
