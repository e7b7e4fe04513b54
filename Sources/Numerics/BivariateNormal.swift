import Foundation

/// Φ(x), the standard normal CDF, as ½·erfc(−x/√2): full relative accuracy
/// in both tails (erfc does not cancel where 1 − erf would).
public func standardNormalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x / 2.0.squareRoot())
}

/// Φ₂(x, y; ρ) = P(X ≤ x, Y ≤ y) for standard normals X, Y with correlation
/// ρ ∈ [−1, 1]: the bivariate normal CDF.
///
/// Algorithm: A. Genz, "Numerical computation of rectangular bivariate and
/// trivariate normal and t probabilities", Statistics and Computing 14
/// (2004) 251–260, §2.1 (his BVND/BVNU, after Drezner & Wesolowsky, "On the
/// computation of the bivariate normal integral", J. Statist. Comput. Simul.
/// 35 (1990) 101–107). For |ρ| < 0.925 it integrates Plackett's identity
/// ∂Φ₂/∂ρ = φ₂ over the angle asin ρ by 6-, 12- or 20-point Gauss–Legendre;
/// for |ρ| ≥ 0.925 it integrates the remainder after subtracting the
/// singular part at |ρ| = 1 in √(1 − ρ²), with a Taylor correction.
/// Genz reports double-precision accuracy (errors near 1e−15).
/// Infinite x or y are allowed; NaN in gives NaN out.
public func bivariateNormalCDF(_ x: Double, _ y: Double, rho: Double) -> Double {
    guard !x.isNaN, !y.isNaN, !rho.isNaN else { return .nan }
    let r = min(1, max(-1, rho))
    return upperOrthant(-x, -y, r)
}

/// P(X > h, Y > k) for standard normals with correlation r (Genz's BVNU).
private func upperOrthant(_ h0: Double, _ k0: Double, _ r: Double) -> Double {
    let phi = standardNormalCDF
    if h0 == .infinity || k0 == .infinity { return 0 }
    if h0 == -.infinity { return k0 == -.infinity ? 1 : phi(-k0) }
    if k0 == -.infinity { return phi(-h0) }
    if r == 0 { return phi(-h0) * phi(-k0) }

    let twoPi = 2 * Double.pi
    var h = h0, k = k0
    var hk = h * k
    var bvn = 0.0

    // Gauss–Legendre nodes x and weights w on [−1, 1] (the positive half).
    let w: [Double], x: [Double]
    if abs(r) < 0.3 {
        w = [0.1713244923791705, 0.3607615730481384, 0.4679139345726904]
        x = [0.9324695142031522, 0.6612093864662647, 0.2386191860831970]
    } else if abs(r) < 0.75 {
        w = [0.04717533638651177, 0.1069393259953183, 0.1600783285433464,
             0.2031674267230659, 0.2334925365383547, 0.2491470458134029]
        x = [0.9815606342467191, 0.9041172563704750, 0.7699026741943050,
             0.5873179542866171, 0.3678314989981802, 0.1252334085114692]
    } else {
        w = [0.01761400713915212, 0.04060142980038694, 0.06267204833410906,
             0.08327674157670475, 0.1019301198172404, 0.1181945319615184,
             0.1316886384491766, 0.1420961093183821, 0.1491729864726037,
             0.1527533871307259]
        x = [0.9931285991850949, 0.9639719272779138, 0.9122344282513259,
             0.8391169718222188, 0.7463319064601508, 0.6360536807265150,
             0.5108670019508271, 0.3737060887154196, 0.2277858511416451,
             0.07652652113349733]
    }
    // Both halves of the rule, mapped to [0, 2]: nodes 1 − x and 1 + x.
    let nodes = x.map { 1 - $0 } + x.map { 1 + $0 }
    let weights = w + w

    if abs(r) < 0.925 {
        let hs = (h * h + k * k) / 2
        let asr = asin(r) / 2
        for (node, weight) in zip(nodes, weights) {
            let sn = sin(asr * node)
            bvn += weight * exp((sn * hk - hs) / (1 - sn * sn))
        }
        bvn = bvn * asr / twoPi + phi(-h) * phi(-k)
    } else {
        if r < 0 {
            k = -k
            hk = -hk
        }
        if abs(r) < 1 {
            let aSquared = 1 - r * r
            var a = aSquared.squareRoot()
            let bs = (h - k) * (h - k)
            let c = (4 - hk) / 8
            let d = (12 - hk) / 80
            var asr = -(bs / aSquared + hk) / 2
            if asr > -100 {
                bvn = a * exp(asr) * (1 - c * (bs - aSquared) * (1 - d * bs) / 3 + c * d * aSquared * aSquared)
            }
            if hk > -100 {
                let b = bs.squareRoot()
                let sp = twoPi.squareRoot() * phi(-b / a)
                bvn -= exp(-hk / 2) * sp * b * (1 - c * bs * (1 - d * bs) / 3)
            }
            a /= 2
            var sum = 0.0
            for (node, weight) in zip(nodes, weights) {
                let xs = (a * node) * (a * node)
                asr = -(bs / xs + hk) / 2
                guard asr > -100 else { continue }
                let sp = 1 + c * xs * (1 + 5 * d * xs)
                let rs = (1 - xs).squareRoot()
                let ep = exp(-(hk / 2) * xs / ((1 + rs) * (1 + rs))) / rs
                sum += weight * exp(asr) * (sp - ep)
            }
            bvn = (a * sum - bvn) / twoPi
        }
        if r > 0 {
            bvn += phi(-max(h, k))
        } else if h >= k {
            bvn = -bvn
        } else {
            let l = h < 0 ? phi(k) - phi(h) : phi(-h) - phi(-k)
            bvn = l - bvn
        }
    }
    return max(0, min(1, bvn))
}
