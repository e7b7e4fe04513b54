/// The exact cut behind a top-fraction keep rule, found in a few streamed
/// passes instead of sorting the scores in memory.
///
/// Keeping the top round(f·N) scores, ties by row order, needs the k-th
/// largest score K: rows above K are kept, and of the rows equal to K the
/// first (k − #above) in file order. A radix select finds K on the scores'
/// order-preserving 64-bit keys, 16 bits per pass: each pass counts the
/// keys (and their range) in 65 536 buckets among the rows that share the
/// prefix found so far, so memory is ~1.5 MiB per score column however long
/// the file, and at most four passes run (fewer when the bucket holding K
/// has a single value).
public struct ScoreCut: Equatable, Sendable {
    /// Keys above this are kept.
    public var key: UInt64
    /// How many rows with exactly this key are kept, first in row order.
    public var tiedQuota: Int
    /// k = round(f·N): how many rows the rule keeps.
    public var keep: Int

    /// Applies the cut to the rows in file order (it counts the tied rows
    /// it has kept, so one keeper serves one pass).
    public struct Keeper {
        public let cut: ScoreCut
        private var tiesTaken = 0

        public init(_ cut: ScoreCut) { self.cut = cut }

        public mutating func keeps(_ score: Double) -> Bool {
            let key = ScoreCut.key(score)
            if key > cut.key { return true }
            if key == cut.key, tiesTaken < cut.tiedQuota {
                tiesTaken += 1
                return true
            }
            return false
        }
    }

    /// The order-preserving key of a finite double (a < b ⇔ key(a) < key(b)).
    public static func key(_ value: Double) -> UInt64 {
        let bits = (value == 0 ? 0.0 : value).bitPattern // −0 and +0 are one score
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Finds the cut for each (fraction) of several score columns at once.
    /// `forEachPass` runs one pass over the file, calling its argument with
    /// each row's scores (index = position in `fractions`).
    /// The first pass also counts the rows N.
    public static func find(fractions: [Double], forEachPass: (([Double]) -> Void) throws -> Void) throws -> [ScoreCut] {
        let buckets = 1 << 16
        var cuts = [ScoreCut?](repeating: nil, count: fractions.count)
        var rows = 0
        // Per column: the prefix of K found so far, and rows above it.
        var prefix = [UInt64](repeating: 0, count: fractions.count)
        var above = [Int](repeating: 0, count: fractions.count)
        for level in 0..<4 {
            let open = cuts.indices.filter { cuts[$0] == nil }
            if open.isEmpty { break }
            let shift = UInt64(48 - 16 * level)
            var counts = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: fractions.count)
            var lowest = [[UInt64]](repeating: [UInt64](repeating: .max, count: buckets), count: fractions.count)
            var highest = [[UInt64]](repeating: [UInt64](repeating: 0, count: buckets), count: fractions.count)
            var aboveInPass = [Int](repeating: 0, count: fractions.count)
            try forEachPass { scores in
                for c in open {
                    let key = ScoreCut.key(scores[c])
                    // Rows outside the current prefix: above it or below it.
                    if level > 0 {
                        let head = key >> (shift + 16)
                        let want = prefix[c] >> (shift + 16)
                        if head != want {
                            if head > want { aboveInPass[c] += 1 }
                            continue
                        }
                    }
                    let bucket = Int((key >> shift) & 0xFFFF)
                    counts[c][bucket] += 1
                    lowest[c][bucket] = min(lowest[c][bucket], key)
                    highest[c][bucket] = max(highest[c][bucket], key)
                }
            }
            if level == 0 { rows = counts[open[0]].reduce(0, +) }
            for c in open {
                let k = Int((fractions[c] * Double(rows)).rounded())
                if k == 0 {
                    // Keep none: a cut no key exceeds, with no tied rows kept.
                    cuts[c] = ScoreCut(key: .max, tiedQuota: 0, keep: 0)
                    continue
                }
                var seen = level == 0 ? 0 : aboveInPass[c]
                var bucket = buckets - 1
                while bucket > 0, seen + counts[c][bucket] < k {
                    seen += counts[c][bucket]
                    bucket -= 1
                }
                above[c] = seen
                prefix[c] = (prefix[c] & ~((UInt64(0xFFFF) << shift) | ((1 << shift) - 1))) | (UInt64(bucket) << shift)
                if lowest[c][bucket] == highest[c][bucket] || level == 3 {
                    cuts[c] = ScoreCut(key: lowest[c][bucket], tiedQuota: k - seen, keep: k)
                }
            }
        }
        return cuts.map { $0! }
    }
}
