import Foundation

/// A linear or logarithmic map from data values to pixels.
public struct Scale {
    public var lower: Double
    public var upper: Double
    public var log: Bool
    /// Pixel positions of `lower` and `upper` (upper may be the smaller one,
    /// as on a y axis).
    public var from: Double
    public var to: Double

    public init(lower: Double, upper: Double, log: Bool = false, from: Double, to: Double) {
        self.lower = lower
        self.upper = upper
        self.log = log
        self.from = from
        self.to = to
    }

    public func callAsFunction(_ value: Double) -> Double {
        let t: Double
        if log {
            t = (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        } else {
            t = (value - lower) / (upper - lower)
        }
        return from + t * (to - from)
    }

    public func contains(_ value: Double) -> Bool {
        value.isFinite && value >= min(lower, upper) - 1e-12 && value <= max(lower, upper) + 1e-12 && (!log || value > 0)
    }
}
