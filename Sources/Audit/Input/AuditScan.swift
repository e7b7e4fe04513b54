import Numerics

/// The streamed passes over one data file: finding the top-fraction cuts
/// (ScoreCut), the pass that fills an AuditSample, and the pass that draws
/// the rows to audit next. Each pass holds one chunk and one row at a time.
public struct AuditScan {
    public let path: String
    public let mapping: AuditMapping
    public let format: DataFormat
    let decoder: RowDecoder

    public init(path: String, mapping: AuditMapping) throws {
        try mapping.validate(source: path)
        self.path = path
        self.mapping = mapping
        format = try mapping.format ?? DataFormat.infer(path: path)
        decoder = RowDecoder(mapping: mapping)
    }

    private var reader: TableReader { TableReader(path: path, format: format, columns: decoder.columns) }

    /// The cut of each top-fraction verifier (nil for the others).
    public func cuts() throws -> [ScoreCut?] {
        let scored = mapping.verifiers.indices.compactMap { v -> (Int, Double)? in
            if case .topFraction(let fraction) = mapping.verifiers[v].rule { return (v, fraction) }
            return nil
        }
        var result = [ScoreCut?](repeating: nil, count: mapping.verifiers.count)
        guard !scored.isEmpty else { return result }
        var scores = [Double](repeating: 0, count: scored.count)
        let found = try ScoreCut.find(fractions: scored.map(\.1)) { row in
            try reader.forEachRow { cells, _ in
                for (c, (v, _)) in scored.enumerated() { scores[c] = try decoder.score(cells, verifier: v) }
                row(scores)
            }
        }
        for (c, (v, _)) in scored.enumerated() { result[v] = found[c] }
        return result
    }

    /// One pass over every row with its keep pattern, stratum label and
    /// similarity (every cell checked, so a malformed row fails every pass).
    private func forEachDecodedRow(cuts: [ScoreCut?], _ body: ([Cell], UInt64, String, Double?) throws -> Void) throws {
        var keepers = cuts.map { $0.map(ScoreCut.Keeper.init) }
        let stratifier: Int? = {
            if case .verifier(let name) = mapping.strata { return mapping.verifiers.firstIndex { $0.name == name } }
            return nil
        }()
        try reader.forEachRow { cells, _ in
            _ = try decoder.id(cells)
            var pattern: UInt64 = 0
            for (v, verifier) in mapping.verifiers.enumerated() {
                let kept: Bool
                switch verifier.rule {
                case .decision:
                    kept = try decoder.decision(cells, verifier: v)
                case .threshold(let threshold):
                    kept = try decoder.score(cells, verifier: v) >= threshold
                case .topFraction:
                    guard keepers[v] != nil else { throw AuditError("internal: no cut for verifier '\(verifier.name)'") }
                    kept = keepers[v]!.keeps(try decoder.score(cells, verifier: v))
                }
                if kept { pattern |= 1 << UInt64(v) }
            }
            let label: String
            if let stratifier {
                label = (pattern >> UInt64(stratifier)) & 1 == 1 ? "kept" : "dropped"
            } else {
                label = try decoder.stratumLabel(cells) ?? "all"
            }
            try body(cells, pattern, label, try decoder.similarity(cells))
        }
    }

    /// The pass that fills an AuditSample.
    public func sample(cuts: [ScoreCut?]) throws -> AuditSample {
        var sample = AuditSample(verifierNames: mapping.verifiers.map(\.name))
        try forEachDecodedRow(cuts: cuts) { _, pattern, label, similarity in
            sample.add(stratum: try sample.stratum(label), pattern: pattern, similarity: similarity)
        }
        guard sample.totalRows > 0 else { throw AuditError("\(path): no rows") }
        return sample
    }

    /// The ids of the rows to audit next: in each stratum, the `counts[h]`
    /// not-yet-audited rows with the smallest hash of (seed, id). The draw
    /// is reproducible, independent of row order and nested: a larger count
    /// or a later plan after these are audited extends the same list.
    public func draw(counts: [String: Int], seed: UInt64, cuts: [ScoreCut?]) throws -> [String: [String]] {
        var heaps: [String: PriorityHeap] = [:]
        for (label, count) in counts where count > 0 { heaps[label] = PriorityHeap(capacity: count) }
        guard !heaps.isEmpty else { return [:] }
        try forEachDecodedRow(cuts: cuts) { cells, _, label, similarity in
            guard similarity == nil, heaps[label] != nil else { return }
            let id = try decoder.id(cells)
            heaps[label]!.offer(priority: hashKeys(seed, [stableHash(id)]), id: id)
        }
        return heaps.mapValues { $0.sortedIDs }
    }
}

/// The `capacity` entries of smallest priority seen so far (a max-heap on
/// priority, so memory is the capacity, not the rows offered).
struct PriorityHeap {
    let capacity: Int
    private var entries: [(priority: UInt64, id: String)] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func offer(priority: UInt64, id: String) {
        if entries.count < capacity {
            entries.append((priority, id))
            siftUp(entries.count - 1)
        } else if let top = entries.first, priority < top.priority {
            entries[0] = (priority, id)
            siftDown(0)
        }
    }

    var sortedIDs: [String] { entries.sorted { $0.priority < $1.priority }.map(\.id) }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0, entries[(i - 1) / 2].priority < entries[i].priority {
            entries.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let left = 2 * i + 1, right = left + 1
            var largest = i
            if left < entries.count, entries[left].priority > entries[largest].priority { largest = left }
            if right < entries.count, entries[right].priority > entries[largest].priority { largest = right }
            if largest == i { return }
            entries.swapAt(i, largest)
            i = largest
        }
    }
}
