import Foundation

/// The completed runs of a sweep, grouped for reading: runs that differ
/// only in `seed` are replicates of one group, summarised by their mean and
/// standard error.
public struct SweepOutcome {
    public struct Point {
        /// Swept path → this run's value (JSON values).
        public var values: [String: Any]
        public var result: ExperimentResult

        public init(values: [String: Any], result: ExperimentResult) {
            self.values = values
            self.result = result
        }
    }

    /// Replicates of one setting (every swept value but the seed).
    public struct Group {
        /// `generator.n0 = 200`; "all runs" when only the seed is swept.
        public var label: String
        /// The swept values other than the seed.
        public var values: [String: Any]
        public var results: [ExperimentResult]

        /// Every selection, verifiers then baselines, in the first run's order.
        public var selections: [String] {
            guard let first = results.first else { return [] }
            return (first.verifiers + first.baselines).map(\.name)
        }

        public var sizes: [Int] {
            Array(Set(results.flatMap { ($0.verifiers + $0.baselines).flatMap { $0.curve.map(\.n) } })).sorted()
        }

        public func selection(_ name: String, in result: ExperimentResult) -> SelectionResult? {
            (result.verifiers + result.baselines).first { $0.name == name }
        }

        /// Test accuracy of `selection` retrained on n pairs, over the runs that reached n.
        public func accuracy(_ selection: String, n: Int) -> Estimate? {
            Estimate(results.compactMap { self.selection(selection, in: $0)?.curve.first { $0.n == n }?.accuracy })
        }

        public func pStar(_ selection: String) -> Estimate? {
            Estimate(results.compactMap { self.selection(selection, in: $0)?.score?.pStar })
        }

        public var generatorAccuracy: Estimate? { Estimate(results.map(\.generator.accuracy)) }
        public var generatorError: Estimate? { Estimate(results.map(\.generator.p)) }
        public var bayesAccuracy: Estimate? { Estimate(results.compactMap(\.bayesAccuracy)) }

        /// A generator config value (e.g. "labels") when every run agrees on it.
        public func generatorSetting(_ key: String) -> String? {
            let values = Set(results.map { result -> String? in
                guard let json = result.generator.config,
                      let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                      let value = object[key] else { return nil }
                return "\(value)"
            })
            return values.count == 1 ? values.first! : nil
        }

        /// Round r of a chain, over the runs that had it.
        public func round(_ r: Int, _ selection: String) -> Estimate? {
            Estimate(results.compactMap { $0.rounds?.first { $0.round == r && $0.selection == selection }?.point?.accuracy })
        }

        public var roundCount: Int { results.compactMap { $0.rounds?.map(\.round).max() }.max() ?? 1 }
    }

    /// A mean over replicates with its standard error (nil for one replicate).
    public struct Estimate {
        public var mean: Double
        public var standardError: Double?
        public var count: Int

        public init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            count = values.count
            mean = values.reduce(0, +) / Double(count)
            if count > 1 {
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
                standardError = (variance / Double(count)).squareRoot()
            }
        }
    }

    public var sweepID: Int64?
    public var points: [Point]

    public init(sweepID: Int64?, points: [Point]) {
        self.sweepID = sweepID
        self.points = points
    }

    /// The sweep of stored runs (completed ones only), in run order.
    public init(stored runs: [ResultsStore.StoredRun], sweepID: Int64?) throws {
        self.sweepID = sweepID
        points = try runs.compactMap { run in
            guard let result = run.result else { return nil }
            let values = try run.summary.sweep.map { try $0.values(run: run.summary.id) } ?? [:]
            return Point(values: values, result: result)
        }
    }

    /// Points grouped by every swept value but the seed, in first-seen order.
    public var groups: [Group] {
        var groups: [Group] = []
        for point in points {
            let values = point.values.filter { $0.key != "seed" }
            let label = values.isEmpty ? "all runs"
                : values.keys.sorted().map { "\($0) = \(SweepPlan.render(values[$0]!))" }.joined(separator: ", ")
            if let index = groups.firstIndex(where: { $0.label == label }) {
                groups[index].results.append(point.result)
            } else {
                groups.append(Group(label: label, values: values, results: [point.result]))
            }
        }
        return groups
    }

    /// The one swept path other than the seed whose values are all
    /// numbers: what figures put on their x axis.
    public var numericAxis: String? {
        let paths = Set(points.flatMap { $0.values.keys }).subtracting(["seed"]).filter { path in
            points.allSatisfy { point in
                (point.values[path] as? NSNumber).map { String(cString: $0.objCType) != "c" } ?? false
            }
        }
        return paths.count == 1 ? paths.first : nil
    }

    /// The groups split by every swept value but `axis` (and the seed), so
    /// that each facet's groups differ only along `axis`.
    public func facets(along axis: String) -> [(label: String, groups: [Group])] {
        var facets: [(label: String, groups: [Group])] = []
        for group in groups {
            let rest = group.values.filter { $0.key != axis }
            let label = rest.keys.sorted().map { "\($0) = \(SweepPlan.render(rest[$0]!))" }.joined(separator: ", ")
            if let index = facets.firstIndex(where: { $0.label == label }) {
                facets[index].groups.append(group)
            } else {
                facets.append((label, [group]))
            }
        }
        return facets
    }
}
