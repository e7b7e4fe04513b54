import Foundation

/// A point estimate and its 95 % interval.
public struct Interval: Codable, Equatable, Sendable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// Set when the estimate is 0 or 1 and the interval comes from the
    /// Haldane-corrected moments (AuditEstimator.haldane); nil otherwise.
    public var corrected: String?

    public init(estimate: Double, lower: Double, upper: Double, corrected: String? = nil) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.corrected = corrected
    }

    public var halfWidth: Double { (upper - lower) / 2 }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// θ ± z·se on the logit scale, mapped back: the interval stays inside
    /// (0, 1) and is asymmetric near the ends, where a linear delta interval
    /// undercovers on small audits.
    static func logit(estimate: Double, logitVariance: Double, z: Double) -> Interval {
        precondition(estimate > 0 && estimate < 1, "the logit interval needs an estimate inside (0, 1)")
        let centre = log(estimate / (1 - estimate))
        let spread = z * max(logitVariance, 0).squareRoot()
        func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        return Interval(estimate: estimate, lower: expit(centre - spread), upper: expit(centre + spread))
    }
}
