import Foundation

/// Axis ticks at round numbers.
public enum Ticks {
    /// A linear axis: a domain widened to whole steps of 1, 2 or 5 × 10^k
    /// holding [low, high], its ticks and their labels.
    public static func linear(_ low: Double, _ high: Double, count: Int = 6)
        -> (lower: Double, upper: Double, ticks: [(value: Double, label: String)]) {
        var low = low, high = high
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceStep((high - low) / Double(max(count - 1, 1)))
        let lower = (low / step).rounded(.down) * step
        let upper = (high / step).rounded(.up) * step
        let decimals = max(0, Int(-Foundation.log10(step).rounded(.down)))
        var ticks: [(Double, String)] = []
        var index = 0.0
        while lower + index * step <= upper + step * 1e-9 {
            let value = lower + index * step
            ticks.append((value, String(format: "%.\(decimals)f", abs(value) < step * 1e-9 ? 0 : value)))
            index += 1
        }
        return (lower, upper, ticks)
    }

    /// 1, 2 or 5 × 10^k, the smallest not below `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, Foundation.log10(raw).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= raw * (1 - 1e-9) {
            return factor * power
        }
        return 10 * power
    }

    /// A log axis over [low, high] (both > 0), padded a little on either
    /// side: labelled ticks at powers of ten (and at 2 and 5 × 10^k when
    /// fewer than two powers fall inside), minor ticks at the other integers
    /// times 10^k.
    public static func log(_ low: Double, _ high: Double)
        -> (lower: Double, upper: Double, major: [(value: Double, label: String)], minor: [Double]) {
        let low = max(low, 1e-300), high = max(high, low)
        let lower = low / 1.6, upper = high * 1.6
        let first = Int(Foundation.log10(lower).rounded(.down)), last = Int(Foundation.log10(upper).rounded(.up))
        var candidates: [(Double, Bool)] = []   // (value, is power of ten)
        for k in first ... last {
            for m in 1 ... 9 { candidates.append((Double(m) * pow(10, Double(k)), m == 1)) }
        }
        let inside = candidates.filter { $0.0 >= lower * (1 - 1e-12) && $0.0 <= upper * (1 + 1e-12) }
        let powers = inside.filter(\.1).count
        let labelled = inside.filter { value, power in
            power || (powers < 2 && [2.0, 5].contains((value / pow(10, Foundation.log10(value).rounded(.down))).rounded()))
        }.map(\.0)
        let minor = inside.map(\.0).filter { !labelled.contains($0) }
        return (lower, upper, labelled.map { ($0, label($0)) }, minor)
    }

    /// "100", "1,000", "30,000"; "0.01" below one.
    static func label(_ value: Double) -> String {
        if value < 1 { return String(format: "%g", value) }
        let digits = String(Int(value.rounded()))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}
