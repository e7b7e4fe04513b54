// The standard normal distribution function and its inverse, and the Wilson
// score interval built on them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Φ(x), the standard normal distribution function.
///
/// Written with erfc rather than 1 + erf so that the lower tail keeps full
/// relative precision (Φ(−8) ≈ 6.2e-16 would be 0 or noise as 1 + erf).
public func normalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x * 0.707_106_781_186_547_524_4)
}

/// Φ⁻¹(p), the standard normal quantile; −∞ at 0, +∞ at 1, NaN outside [0, 1].
///
/// Starts from P. J. Acklam's rational approximation ("An algorithm for
/// computing the inverse normal cumulative distribution function", 2003;
/// relative error < 1.15e-9) and polishes it with Halley steps on
/// Φ(x) − p, which triple the number of correct digits each time, down to
/// the accuracy of erfc (~1e-15 relative). Only the lower half is solved:
/// p > ½ uses Φ⁻¹(p) = −Φ⁻¹(1 − p), where 1 − p is exact and the residual
/// Φ(x) − p does not cancel.
public func normalQuantile(_ p: Double) -> Double {
    guard p >= 0, p <= 1 else { return .nan }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    if p > 0.5 { return -normalQuantile(1 - p) }
    if p == 0.5 { return 0 }

    var x = acklamLowerHalf(p)
    for _ in 0..<3 {
        // φ(x) leaves the normal range near p ≈ 1e-300 (x ≈ −37.5); below
        // that the step would divide by a subnormal, and Acklam's start stands.
        let density = exp(-0.5 * x * x) * 0.398_942_280_401_432_677_9
        guard density > 1e-300 else { break }
        let u = (normalCDF(x) - p) / density
        let next = x - u / (1 + 0.5 * x * u)
        if next == x { break }
        x = next
    }
    return x
}

/// Acklam's approximation for 0 < p ≤ ½ (coefficients from the paper).
private func acklamLowerHalf(_ p: Double) -> Double {
    if p < 0.02425 {
        let q = (-2 * log(p)).squareRoot()
        let num = ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q
                     - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q
                   + 4.374664141464968e+00) * q + 2.938163982698783e+00
        let den = (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q
                    + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1
        return num / den
    }
    let q = p - 0.5
    let r = q * q
    let num = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r
                  - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r
                - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
    let den = ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r
                 - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
               - 1.328068155288572e+01) * r + 1
    return num / den
}

/// Wilson score interval for a proportion successes/trials at normal quantile z (z = 1.959963984540054 for 95 %). trials may be non-integer (weighted counts). Returns (0, 1) bounds clipped to [0, 1]; trials == 0 → (0, 1).
///
/// With p̂ = s/n and κ = z²/n the bounds are
///     (p̂ + κ/2 ± z·√(p̂(1 − p̂)/n + κ/(4n))) / (1 + κ).
/// p̂ is clamped to [0, 1]; at p̂ = 0 (resp. 1) the lower (upper) bound is
/// exactly 0 (1), which the formula gives only up to rounding.
public func wilsonInterval(successes: Double, trials: Double, z: Double) -> (lower: Double, upper: Double) {
    guard trials > 0 else { return (0, 1) }
    let p = min(max(successes / trials, 0), 1)
    let kappa = z * z / trials
    let centre = (p + 0.5 * kappa) / (1 + kappa)
    let halfWidth = z * (p * (1 - p) / trials + 0.25 * kappa / trials).squareRoot() / (1 + kappa)
    let lower = p == 0 ? 0 : max(0, centre - halfWidth)
    let upper = p == 1 ? 1 : min(1, centre + halfWidth)
    return (lower, upper)
}

/// Ranks 1…n of `values`, ties sharing the mean of the ranks they span.
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
        let shared = Double(start + end) / 2 + 1
        for position in start...end { ranks[order[position]] = shared }
        start = end + 1
    }
    return ranks
}

/// Spearman's rank correlation: Pearson's correlation of the average
/// ranks, so ties are handled as scipy.stats.spearmanr does. nil with fewer
/// than two pairs or when either side is constant.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double? {
    precondition(x.count == y.count, "spearmanCorrelation: \(x.count) and \(y.count) values")
    guard x.count >= 2 else { return nil }
    let rx = averageRanks(x), ry = averageRanks(y)
    let mean = Double(x.count + 1) / 2
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        let dx = rx[i] - mean, dy = ry[i] - mean
        sxy += dx * dy
        sxx += dx * dx
        syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
}
