import Foundation

/// A point estimate and its 95 % interval.
public struct Interval: Codable, Equatable, Sendable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// Why the interval is only the point (an estimate at 0 or 1 has no
    /// spread on the logit scale); nil for a proper interval.
    public var degenerate: String?

    public init(estimate: Double, lower: Double, upper: Double, degenerate: String? = nil) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.degenerate = degenerate
    }

    public var halfWidth: Double { (upper - lower) / 2 }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// θ ± z·se on the logit scale, mapped back: the interval stays inside
    /// (0, 1) and is asymmetric near the ends, where a linear delta interval
    /// undercovers on small audits.
    static func logit(estimate: Double, logitVariance: Double, z: Double, boundary: String) -> Interval {
        guard estimate > 0, estimate < 1, logitVariance.isFinite else {
            return Interval(estimate: estimate, lower: estimate, upper: estimate, degenerate: boundary)
        }
        let centre = log(estimate / (1 - estimate))
        let spread = z * max(logitVariance, 0).squareRoot()
        func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        return Interval(estimate: estimate, lower: expit(centre - spread), upper: expit(centre + spread))
    }
}
