/// Reads the wanted keys of one JSONL line: a flat JSON object whose values
/// are numbers, strings, booleans or null (nested values are skipped, and
/// are an error only where a wanted key holds one).
///
/// Hand-written rather than JSONSerialization because a pool of 10^7 rows
/// would build 10^7 dictionaries of every key; this touches only the bytes.
struct JSONLineParser {
    /// The wanted keys' UTF-8 bytes; `cells[i]` is filled for `keys[i]`.
    let keys: [[UInt8]]

    init(columns: [String]) {
        keys = columns.map { Array($0.utf8) }
    }

    /// Fills `cells` (one per wanted key, `.absent` where the object lacks it).
    func parse(_ line: UnsafeBufferPointer<UInt8>, into cells: inout [Cell]) throws -> Bool {
        for i in cells.indices { cells[i] = .absent }
        var scanner = ByteScanner(bytes: line)
        scanner.skipSpace()
        if scanner.atEnd { return false } // a blank line: no row
        try scanner.expect(UInt8(ascii: "{"), "'{' to open the row's object")
        scanner.skipSpace()
        if scanner.peek == UInt8(ascii: "}") {
            scanner.index += 1
        } else {
            while true {
                scanner.skipSpace()
                let wanted = try scanner.key(matching: keys)
                scanner.skipSpace()
                try scanner.expect(UInt8(ascii: ":"), "':' after a key")
                scanner.skipSpace()
                let value = try scanner.value(keep: wanted != nil)
                if let wanted { cells[wanted] = value }
                scanner.skipSpace()
                if scanner.peek == UInt8(ascii: ",") { scanner.index += 1; continue }
                try scanner.expect(UInt8(ascii: "}"), "',' or '}' after a value")
                break
            }
        }
        scanner.skipSpace()
        guard scanner.atEnd else { throw scanner.error("nothing after the row's object") }
        return true
    }
}

/// A cursor over one line's bytes with the JSON token rules.
private struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    func error(_ what: String) -> AuditError {
        AuditError("invalid JSON at byte \(index + 1): expected \(what)")
    }

    mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { index += 1 }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek == byte else { throw error(what) }
        index += 1
    }

    /// Reads a key and returns which of `keys` it is. A key without
    /// escapes (the usual case) is compared in place, without a copy.
    mutating func key(matching keys: [[UInt8]]) throws -> Int? {
        guard peek == UInt8(ascii: "\"") else { throw error("a string") }
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let raw = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])
            index = end + 1
            return keys.firstIndex { $0.elementsEqual(raw) }
        }
        let decoded = try string()
        return keys.firstIndex { $0 == decoded }
    }

    /// A string token's decoded bytes (escapes resolved).
    mutating func string() throws -> [UInt8] {
        try expect(UInt8(ascii: "\""), "a string")
        var out: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { throw error("an escape after '\\'") }
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                          let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self), radix: 16)
                    else { throw error("four hex digits after '\\u'") }
                    index += 4
                    // Surrogate halves are kept as U+FFFD: ids and stratum
                    // names only need to be stable, not round-trip.
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(escaped)
                }
            default:
                out.append(byte)
            }
        }
        throw error("a closing '\"'")
    }

    /// One value; `keep: false` only skips it.
    mutating func value(keep: Bool) throws -> Cell {
        guard let byte = peek else { throw error("a value") }
        switch byte {
        case UInt8(ascii: "\""):
            let text = try string()
            return keep ? .text(String(decoding: text, as: UTF8.self)) : .null
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipComposite()
            return .composite
        case UInt8(ascii: "t"):
            try word("true"); return .boolean(true)
        case UInt8(ascii: "f"):
            try word("false"); return .boolean(false)
        case UInt8(ascii: "n"):
            try word("null"); return .null
        default:
            let start = index
            while let b = peek, b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                    || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || (b >= 0x30 && b <= 0x39) {
                index += 1
            }
            guard index > start else { throw error("a value") }
            guard keep else { return .null }
            let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let number = Double(token) else {
                index = start
                throw error("a number, not '\(token)'")
            }
            return .number(number)
        }
    }

    private mutating func word(_ text: String) throws {
        let expected = Array(text.utf8), count = expected.count
        guard index + count <= bytes.count,
              UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(expected)
        else { throw error("true, false, null, a number or a string") }
        index += count
    }

    /// Skips a nested object or array, strings included.
    private mutating func skipComposite() throws {
        var depth = 0
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""):
                _ = try string()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { index += 1; return }
            default:
                break
            }
            index += 1
        }
        throw error("the end of a nested object or array")
    }
}
