import AssayHost
import Foundation

/// Iterated retraining checked (`[report] claims = ["rounds"]`), group by
/// group, from round 1 to the last round:
///
/// - without verification ("random") accuracy drifts down: the last round
///   is below the first by more than two standard errors;
/// - every verifier whose p* exceeds the generator's error p — one the
///   theory expects to beat the generator — holds or improves: the last
///   round is not below the first by more than two standard errors.
///
/// The standard error is that of the change over replicated seeds (paired
/// by seed) when the group has several, else the binomial error of two
/// independent test accuracies.
public struct RoundsFindings {
    public struct Chain {
        public var group: String
        public var name: String
        public var pStar: Double?
        public var first: Double
        public var last: Double
        public var rounds: Int
        public var standardError: Double
        /// Whether the chain is the unverified one (expected to drift down).
        public var unverified: Bool

        public var change: Double { last - first }
        public var holds: Bool { unverified ? change < -2 * standardError : change >= -2 * standardError }
    }

    public var chains: [Chain] = []

    public init(_ outcome: SweepOutcome) {
        for group in outcome.groups where group.roundCount > 1 {
            let rounds = group.roundCount
            let p = group.generatorError?.mean ?? 1
            let testSize = Double(group.results.first?.testSize ?? 1)
            for name in group.selections {
                guard let first = group.round(1, name), let last = group.round(rounds, name) else { continue }
                let unverified = name == "random"
                let pStar = group.pStar(name)?.mean
                guard unverified || (pStar ?? 0) > p else { continue }
                let changes = group.results.compactMap { result -> Double? in
                    let chain = result.rounds?.filter { $0.selection == name }
                    guard let a = chain?.first(where: { $0.round == 1 })?.point?.accuracy,
                          let b = chain?.first(where: { $0.round == rounds })?.point?.accuracy else { return nil }
                    return b - a
                }
                let error = changes.count > 1
                    ? SweepOutcome.Estimate(changes)?.standardError ?? 0
                    : ((first.mean * (1 - first.mean) + last.mean * (1 - last.mean)) / testSize).squareRoot()
                chains.append(Chain(group: group.label, name: name, pStar: pStar, first: first.mean, last: last.mean,
                                    rounds: rounds, standardError: error, unverified: unverified))
            }
        }
    }

    public func render() -> String {
        func f(_ value: Double) -> String { ResultTables.fixed(value) }
        let drifting = chains.filter(\.unverified), holding = chains.filter { !$0.unverified }
        func verdict(_ rows: [Chain]) -> String {
            rows.isEmpty ? "not applicable" : rows.allSatisfy(\.holds) ? "holds (\(rows.count)/\(rows.count))"
                : "FAILS (\(rows.filter(\.holds).count)/\(rows.count) hold)"
        }
        var out = "Iterated rounds, first against last round\n\n"
        out += "Unverified retraining drifts down (by > 2 standard errors): \(verdict(drifting))\n"
        out += "Verifiers with p* > p hold or improve (within 2 standard errors): \(verdict(holding))\n\n"
        out += TextTable.render(header: ["group", "chain", "p*", "round 1", "last round", "change", "± 2 se", "claim"],
                                  rows: chains.map { chain in
            [chain.group, chain.name, chain.pStar.map { String(format: "%.3f", $0) } ?? "—", f(chain.first), f(chain.last),
             f(chain.change), f(2 * chain.standardError),
             chain.holds ? (chain.unverified ? "drifts down" : "holds") : "FAILS"]
        })
        return out + "\n"
    }
}
