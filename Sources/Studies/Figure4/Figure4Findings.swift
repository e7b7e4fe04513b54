import AssayHost
import Foundation
import Numerics

/// The paper's Figure-4 claims (Section 6.1), checked group by group on a
/// sweep whose verifiers differ in p* (noisy oracles, p* = 1/(1 + p_noise)):
///
/// 1. accuracy rises with p*: at every n', Spearman ρ between the
///    verifiers' p* and the retrained accuracy is at least 0.9;
/// 2. no verification collapses: the verifier with the lowest p* (the one
///    that keeps everything, p* = 1/2) ends below the generator at the
///    largest n';
/// 3. the oracle — the verifier with the highest p* — ends above it.
///
/// Accuracies are means over the group's seeds; baselines are left out
/// (random is the same selection as keeping everything).
public struct Figure4Findings {
    public static let minimumRankCorrelation = 0.9

    public struct Ranking {
        public var group: String
        public var n: Int
        public var selections: [(name: String, pStar: Double, accuracy: Double)]
        public var rho: Double?
        public var holds: Bool { (rho ?? -1) >= Figure4Findings.minimumRankCorrelation }
    }

    public struct AgainstGenerator {
        public var group: String
        public var verifier: String
        public var pStar: Double
        public var n: Int
        public var accuracy: SweepOutcome.Estimate
        public var generator: Double
        /// Below the generator (no verification) or above it (the oracle).
        public var expectedAbove: Bool
        public var holds: Bool { expectedAbove ? accuracy.mean > generator : accuracy.mean < generator }
    }

    public var rankings: [Ranking] = []
    public var unverified: [AgainstGenerator] = []
    public var oracle: [AgainstGenerator] = []

    public init(_ outcome: SweepOutcome) {
        for group in outcome.groups {
            guard let first = group.results.first, let generator = group.generatorAccuracy?.mean else { continue }
            let verifiers = first.verifiers.map(\.name).filter { group.pStar($0) != nil }
            guard verifiers.count >= 2 else { continue }
            for n in group.sizes {
                let selections = verifiers.compactMap { name in
                    group.accuracy(name, n: n).map { (name: name, pStar: group.pStar(name)!.mean, accuracy: $0.mean) }
                }
                guard selections.count >= 2 else { continue }
                rankings.append(Ranking(group: group.label, n: n, selections: selections,
                                        rho: spearmanCorrelation(selections.map(\.pStar), selections.map(\.accuracy))))
            }
            let byPStar = verifiers.sorted { group.pStar($0)!.mean < group.pStar($1)!.mean }
            for (name, above) in [(byPStar.first!, false), (byPStar.last!, true)] {
                guard let n = group.sizes.last(where: { group.accuracy(name, n: $0) != nil }) else { continue }
                let entry = AgainstGenerator(group: group.label, verifier: name, pStar: group.pStar(name)!.mean, n: n,
                                             accuracy: group.accuracy(name, n: n)!, generator: generator, expectedAbove: above)
                if above { oracle.append(entry) } else { unverified.append(entry) }
            }
        }
    }

    public func render() -> String {
        func verdict<T>(_ rows: [T], _ holds: (T) -> Bool) -> String {
            rows.isEmpty ? "not applicable to this sweep" : rows.allSatisfy(holds) ? "holds (\(rows.count)/\(rows.count))"
                : "FAILS (\(rows.filter(holds).count)/\(rows.count) hold)"
        }
        var out = "Figure 4 claims (the paper's Section 6.1)\n\n"
        out += "1. Accuracy rises with p* (Spearman ρ ≥ \(Self.minimumRankCorrelation) at every n'): "
            + verdict(rankings, \.holds) + "\n\n"
        out += TextTable.render(header: ["group", "n'", "Spearman ρ", "accuracy by p* (p*: accuracy)"], rows: rankings.map { r in
            [r.group, "\(r.n)", r.rho.map(ResultTables.fixed) ?? "—",
             r.selections.sorted { $0.pStar > $1.pStar }
                .map { "\(String(format: "%.3f", $0.pStar)): \(String(format: "%.4f", $0.accuracy))" }.joined(separator: "; ")]
        }) + "\n"
        for (title, rows) in [("2. No verification (lowest p*) ends below the generator", unverified),
                              ("3. The oracle (highest p*) ends above the generator", oracle)] {
            out += "\n\(title): " + verdict(rows, \.holds) + "\n\n"
            out += TextTable.render(header: ["group", "verifier", "p*", "n'", "accuracy", "generator", "difference"], rows: rows.map { row in
                [row.group, row.verifier, String(format: "%.3f", row.pStar), "\(row.n)", SweepTables.estimate(row.accuracy),
                 ResultTables.fixed(row.generator), ResultTables.fixed(row.accuracy.mean - row.generator)]
            }) + "\n"
        }
        return out
    }
}
