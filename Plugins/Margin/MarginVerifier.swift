import Foundation
import Numerics
import PluginKit

/// Supervised (margin-based) pruning, equation (5) of the paper:
/// q = 1[y'·(xᵀw_prune) > 0], i.e. keep the pairs on whose label a linear
/// pruner agrees with the generator.
///
/// w_prune is given explicitly (`w`), trained by ordinary least squares on
/// clean samples (`n_clean`), or set at angle θ from the task's direction
/// w* (`theta`, the θ_prune of Section 5): w_prune = cos θ·w* + sin θ·u with
/// u a random unit vector orthogonal to w*.
final class MarginVerifier: RuleVerifier {
    static var descriptor: PluginDescriptor {
        PluginDescriptor(
            id: "margin",
            version: "1.0.0",
            summary: "Keeps pairs whose label agrees with a linear pruner: y'·(xᵀw_prune) > 0 (give exactly one of w, n_clean, theta)",
            needs: .truth,
            parameters: [
                Parameter("w", "number[]", default: nil, "explicit pruner weights w_prune, one per column of x"),
                Parameter("n_clean", "integer", default: nil,
                          "train w_prune by ordinary least squares on this many clean samples (at least the columns of x)"),
                Parameter("theta", "number", default: nil,
                          "angle in [0, pi] between w_prune and the task's direction w* (0 = oracle direction)"),
            ]
        )
    }

    enum Source {
        case weights([Double])
        case clean(Int)
        case angle(Double)
    }

    private let host: HostServices
    private let origin: String
    private let source: Source
    /// w_prune, set in prepare; read-only afterwards.
    private var pruner: [Double] = []

    init(config: ConfigReader, host: HostServices) throws {
        self.host = host
        origin = config.origin
        let keys = ["w", "n_clean", "theta"]
        let given = keys.filter(config.has)
        guard given.count == 1 else {
            let got = given.isEmpty ? "none" : given.map { "\"\($0)\"" }.joined(separator: " and ")
            throw config.invalid(
                "give exactly one of \"w\" (weights), \"n_clean\" (train on clean samples) or \"theta\" (angle to w*); got \(got)")
        }
        // Every key is read, present or not, so that an unknown-key message
        // lists all three.
        let weights = try config.numbers("w")
        let count = try config.integer("n_clean", default: 1, in: 1 ... Int(Int32.max))
        let theta = try config.number("theta", default: 0, in: 0 ... Double.pi)
        switch given[0] {
        case "w":
            guard let weights, !weights.isEmpty else {
                throw config.invalid("\"w\" must be a non-empty array of numbers, got []")
            }
            guard weights.contains(where: { $0 != 0 }) else {
                throw config.invalid("\"w\" must not be all zeros: it would drop every pair")
            }
            source = .weights(weights)
        case "n_clean":
            source = .clean(count)
        default:
            source = .angle(theta)
        }
    }

    func prepare(task: TaskShape, rng: HostRandom) throws {
        let d = task.xCols
        guard d > 0, task.yCols == 1 else {
            throw PluginError.unsupported(
                "margin: the task has x with \(d) columns and y with \(task.yCols); expected x_cols >= 1 and a single label column")
        }
        switch source {
        case .weights(let weights):
            guard weights.count == d else {
                throw PluginError.config("\(origin): \"w\" has \(weights.count) values; expected \(d), the columns of x")
            }
            pruner = weights
        case .clean(let count):
            pruner = try trainOnClean(count: count, columns: d, rng: rng)
        case .angle(let theta):
            pruner = try rotatedDirection(theta: theta, columns: d, rng: rng)
        }
    }

    private func trainOnClean(count: Int, columns d: Int, rng: HostRandom) throws -> [Double] {
        guard count >= d else {
            throw PluginError.config(
                "\(origin): \"n_clean\" must be at least \(d), the columns of x, for ordinary least squares; got \(count)")
        }
        var x = [Double](repeating: 0, count: count * d)
        var y = [Double](repeating: 0, count: count)
        try x.withUnsafeMutableBufferPointer { x in
            try y.withUnsafeMutableBufferPointer { y in try host.drawClean(rng: rng, count: count, x: x, y: y) }
        }
        let weights: [Double]
        do {
            weights = try x.withUnsafeBufferPointer { x in
                try y.withUnsafeBufferPointer { y in try ordinaryLeastSquares(x: x, rows: count, cols: d, y: y) }
            }
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.failed("margin: ordinary least squares on \(count) clean samples failed: \(error)")
        }
        guard weights.count == d, weights.allSatisfy(\.isFinite) else {
            throw PluginError.failed("margin: ordinary least squares on \(count) clean samples gave non-finite weights")
        }
        return weights
    }

    /// cos θ·w* + sin θ·u, with u a unit vector orthogonal to w* drawn from
    /// `rng` (a normal vector, Gram–Schmidt against w*, normalised).
    private func rotatedDirection(theta: Double, columns d: Int, rng: HostRandom) throws -> [Double] {
        var star = try host.taskVector("direction", count: d)
        guard normalize(&star) else {
            throw PluginError.failed("margin: the task vector \"direction\" is zero or not finite")
        }
        guard d >= 2 else {
            throw PluginError.unsupported("margin: \"theta\" needs x with at least 2 columns to rotate w*; the task has \(d)")
        }
        var u: [Double] = []
        for _ in 0 ..< 8 {
            u = rng.normal(count: d)
            // Twice, so that rounding leaves no component along w*.
            for _ in 0 ..< 2 {
                let along = dot(u, star)
                for j in 0 ..< d { u[j] -= along * star[j] }
            }
            if normalize(&u) { break }
            u = []
        }
        guard !u.isEmpty else {
            throw PluginError.failed("margin: could not draw a unit vector orthogonal to w*")
        }
        let c = cos(theta), s = sin(theta)
        return (0 ..< d).map { c * star[$0] + s * u[$0] }
    }

    /// The margins xᵀw_prune of the batch in the call's scratch (dgemv
    /// writes every element, so it need not be cleared).
    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        let rows = batch.rows, d = pruner.count
        let margins = scratch.doubles(rows)
        pruner.withUnsafeBufferPointer { w in
            LinearAlgebra.multiply(batch.x, rows: rows, cols: d, by: w, into: margins)
        }
        let labels = batch.y.baseAddress!, m = margins.baseAddress!, out = keep.baseAddress!
        // Branch-free, so that it vectorises (as a `while` with wrapping
        // arithmetic: a `for` over a range, or `||`, compiled to a branch
        // per row that mispredicts on half of them). A NaN product is the
        // one unequal to itself; its row is looked for only if there is one.
        var unordered = 0
        var i = 0
        while i < rows {
            let product = labels[i] * m[i]
            out[i] = product > 0 ? 1 : 0
            unordered &+= product != product ? 1 : 0
            i &+= 1
        }
        if unordered != 0, let i = (0 ..< rows).first(where: { (labels[$0] * m[$0]).isNaN }) {
            throw PluginError.argument(
                "margin: row \(batch.firstRow + i): y' = \(labels[i]) and xᵀw = \(m[i]); expected finite values")
        }
    }
}

/// Scales `v` to unit length; false when it is zero or not finite.
private func normalize(_ v: inout [Double]) -> Bool {
    let norm = dot(v, v).squareRoot()
    guard norm > 1e-12, norm.isFinite else { return false }
    for j in v.indices { v[j] /= norm }
    return true
}

private let exports = ExportedLibrary(MarginVerifier.self)
@_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
