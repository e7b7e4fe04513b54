import Foundation

/// A config file expanded into its runs: one per combination of the
/// `[sweep]` values (the last path varies fastest), or the file itself.
public struct SweepPlan {
    public struct Point {
        /// The swept paths and this run's values, in axis order.
        public var assignments: [(path: String, value: Any)]
        public var config: RunConfig

        /// `generator.n0 = 200, seed = 2`: how tables and logs name the run.
        public var label: String {
            assignments.map { "\($0.path) = \(SweepPlan.render($0.value))" }.joined(separator: ", ")
        }

        /// The assignments as a JSON object, as the results store keeps them.
        public var json: String {
            let object = Dictionary(uniqueKeysWithValues: assignments.map { ($0.path, $0.value) })
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }

    public let file: ConfigFile
    public let points: [Point]

    public var isSweep: Bool { !file.axes.isEmpty }

    public init(file: ConfigFile) throws {
        self.file = file
        var combinations: [[(path: String, value: Any)]] = [[]]
        for axis in file.axes {
            combinations = combinations.flatMap { prefix in axis.values.map { prefix + [(axis.path, $0)] } }
        }
        points = try combinations.map { assignments in
            var table = file.table
            for (axis, assignment) in zip(file.axes, assignments) {
                table = try axis.set(assignment.value, in: table, file: file.path)
            }
            return Point(assignments: assignments, config: try RunConfig(table: table, source: file.source, path: file.path))
        }
    }

    static func count(_ axes: [SweepAxis]) -> Int {
        axes.reduce(1) { $0 * $1.values.count }
    }

    static func render(_ value: Any) -> String {
        if let string = value as? String { return "\"\(string)\"" }
        // 15 significant digits: what a config can mean, without the last
        // bit a TOML reader's decimal conversion may add (1e-6 is read as
        // 1.0000000000000002e-06).
        if let number = value as? NSNumber, String(cString: number.objCType) != "c" {
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : String(format: "%.15g", double)
        }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
