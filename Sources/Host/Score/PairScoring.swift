import Foundation

extension SelectionScore {
    /// Scores given pairs: similarity s[i] ∈ [0, 1] and keep bit q[i] ∈ {0, 1},
    /// added in index order as the pool pass adds them, so the same pairs
    /// score bit-identically here, in `assay run` and through libAssay.
    public init(similarities s: UnsafeBufferPointer<Double>, keep q: UnsafeBufferPointer<UInt8>) throws {
        guard s.count == q.count, !s.isEmpty else {
            throw AssayError("\(s.count) similarities and \(q.count) keep bits: expected the same positive number of each")
        }
        var tally = Tally()
        for index in s.indices {
            guard s[index] >= 0 && s[index] <= 1 else { // false for NaN too
                throw AssayError("s[\(index)] = \(s[index]): expected a similarity in [0, 1]")
            }
            guard q[index] <= 1 else {
                throw AssayError("q[\(index)] = \(q[index]): expected a keep bit, 0 or 1")
            }
            tally.add(similarity: s[index], keep: q[index] == 1)
        }
        self.init(tally)
    }

    /// Scores a text file of pairs, one "s q" per line (blank lines and
    /// lines starting with # are skipped).
    public init(pairsFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AssayError("\(path): cannot read the pairs file")
        }
        var similarities: [Double] = []
        var keep: [UInt8] = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            guard fields.count == 2, let s = Double(fields[0]), let q = UInt8(fields[1]) else {
                throw AssayError("\(path):\(number + 1): \"\(line)\": expected a similarity and a keep bit, e.g. \"0.75 1\"")
            }
            similarities.append(s)
            keep.append(q)
        }
        do {
            self = try similarities.withUnsafeBufferPointer { s in
                try keep.withUnsafeBufferPointer { q in try SelectionScore(similarities: s, keep: q) }
            }
        } catch let error as AssayError {
            throw AssayError("\(path): \(error.description)")
        }
    }

    /// The score as JSON, with the keys of a verifier entry of the run document.
    public func json() throws -> String {
        try JSONDocument.encodePart(self, pretty: true)
    }
}
