// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000,
// "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5),
// with Doornik's fix (2005, "An Improved Ziggurat Method to Generate Normal
// Random Samples"): the layer index, the sign and the magnitude come from
// disjoint bits of the draw, so they are independent.
//
// Why the ziggurat rather than a vectorised Box–Muller: about 99.6 % of the
// deviates cost one 64-bit draw, one table load, one conversion and one
// multiply, with no transcendental function at all. Box–Muller needs a log,
// a sqrt and a sin/cos pair per two deviates; made fast, those become
// hand-written polynomial approximations whose error we would then have to
// own, while the ziggurat is exact (a rejection method) up to the 52-bit
// grid of its uniforms. Its fast path also vectorises across independent
// generators (Sources/SIMDKernels), with exactly the same numbers on every CPU.

import SIMDKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomStream {
    /// Fills `out` with independent standard normal deviates.
    ///
    /// A bulk fill does not replay `normal()`: it draws from eight
    /// xoshiro256++ lanes run side by side in SIMD registers (lane j writes
    /// positions 8m + j), seeded from one draw of this stream, and the rare
    /// draws that need the ziggurat's exact test take their extra uniforms
    /// from a ninth stream, in order of position. The numbers depend only on
    /// this stream's position and `out.count`, not on the CPU: every
    /// `SIMDVariant` returns the same ones. (Two fills of n values are not
    /// one fill of 2n.)
    ///
    /// About 1.2 ns per value on this project's x86-64 machines with AVX2;
    /// the one-lane loop it replaced took 1.8 (see ziggurat_kernel.c).
    public mutating func fillNormal(_ out: UnsafeMutableBufferPointer<Double>) {
        fillNormal(out, variant: .best)
    }

    /// `fillNormal(_:)` with a chosen kernel variant, for tests and
    /// benchmarks. The variant must be available.
    public mutating func fillNormal(_ out: UnsafeMutableBufferPointer<Double>, variant: SIMDVariant) {
        precondition(variant.isAvailable, "SIMD variant \(variant) is not available on this CPU")
        guard let base = out.baseAddress, !out.isEmpty else { return }
        let seed = next()
        var lanes = assay_zig_lanes()
        withUnsafeMutableBytes(of: &lanes) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for lane in 0 ..< ZigguratTable.lanes {
                let g = RandomStream(seed: seed, keys: [UInt64(lane)])
                for (w, word) in [g.s0, g.s1, g.s2, g.s3].enumerated() {
                    words[w * ZigguratTable.lanes + lane] = word
                }
            }
        }
        var exact = RandomStream(seed: seed, keys: [UInt64(ZigguratTable.lanes)])
        let whole = out.count / ZigguratTable.lanes * ZigguratTable.lanes
        ZigguratTable.shared.fill(base, blocks: whole / ZigguratTable.lanes, lanes: &lanes, exact: &exact, variant: variant)
        if whole < out.count {
            // The last, partial block: a whole one, of which the first
            // values are kept.
            var block = [Double](repeating: 0, count: ZigguratTable.lanes)
            block.withUnsafeMutableBufferPointer { block in
                ZigguratTable.shared.fill(block.baseAddress!, blocks: 1, lanes: &lanes, exact: &exact, variant: variant)
                for i in whole ..< out.count { base[i] = block[i - whole] }
            }
        }
    }
}

extension ZigguratTable {
    static let lanes = Int(ASSAY_ZIG_LANES)

    /// Rejected draws held between kernel calls; the kernel returns when
    /// fewer than a group's worth (64) are free, about every 100,000 values.
    private static let rejectCapacity = 512

    /// Runs `blocks` blocks of the C fast path into `out`, and finishes the
    /// draws it rejected with the exact test, in order of position.
    func fill(_ out: UnsafeMutablePointer<Double>, blocks: Int, lanes: inout assay_zig_lanes,
              exact: inout RandomStream, variant: SIMDVariant) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * Self.rejectCapacity) { scratch in
            let index = scratch.baseAddress!, draw = index + Self.rejectCapacity
            var done = 0
            while done < blocks {
                var rejects = assay_zig_rejects(index: index, draw: draw, capacity: Self.rejectCapacity, count: 0)
                let start = out + done * Self.lanes
                done += assay_zig_fill(fast, &lanes, start, blocks - done, &rejects, variant.isa)
                for r in 0 ..< rejects.count {
                    start[Int(index[r])] = slowNormal(draw[r], &exact)
                }
            }
        }
    }
}

/// The 1024-layer ziggurat for the unnormalised density f(x) = exp(−x²/2).
///
/// Built once per process. The tables are computed, not pasted: the base
/// edge r is solved for so that 1024 layers of equal area tile the density
/// exactly in double precision (r ≈ 4.03884984610950; Marsaglia & Tsang's
/// 256 layers have r ≈ 3.6541528853610088).
///
/// Why 1024 layers and not the usual 256: the thinner the layers, the more
/// of each lies inside the curve, and the fewer draws leave the fast path
/// for the exact test (0.43 % instead of 1.5 %). Those draws cost ~15 ns
/// each in branch misses, a fifth of the generator's time at 256 layers; the
/// larger table (32 KB) still fits in L1. Bulk fills went from 1.29 to about
/// 1.05 ns per value.
@usableFromInline
final class ZigguratTable: @unchecked Sendable {  // immutable after init
    @usableFromInline static let shared = ZigguratTable()

    static let layerCount = Int(ASSAY_ZIG_TABLE_SIZE) / 2

    /// Indexed by the draw's low 11 bits: layer (bits 0–9) and sign (bit 10).
    /// Folding the sign into the table saves the bit-twiddling of applying
    /// it, which is a sixth of the fast path's instructions. Never freed:
    /// the table lives as long as the process.
    /// The entries are the C kernel's type, so that both read one table.
    @usableFromInline let fast: UnsafeMutablePointer<assay_zig_layer>
    /// Right edges x₀ … x₂₅₆ (x₀ is the base strip's equivalent width,
    /// x₁ = r, x₂₅₆ = 0), and f at those edges.
    let edge: [Double]
    let density: [Double]
    /// Slope of layer i's chord, from (x_{i+1}, f(x_{i+1})) down to
    /// (x_i, f(x_i)), as a rise per step inwards: (f_{i+1} − f_i)/(x_i − x_{i+1}).
    let chordSlope: [Double]
    let r: Double

    private init() {
        let n = ZigguratTable.layerCount
        // Bisection on r: the area left for the top layer grows with r
        // (a larger r means thinner layers), and must equal a layer's area.
        var lo = 3.0, hi = 4.5
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if ZigguratTable.topLayerExcess(r: mid, layers: n) > 0 { hi = mid } else { lo = mid }
        }
        r = lo
        let v = ZigguratTable.layerArea(r: r)
        var x = [Double](repeating: 0, count: n + 1)
        x[0] = v / exp(-0.5 * r * r)
        x[1] = r
        for i in 1..<(n - 1) {
            x[i + 1] = (-2 * log(v / x[i] + exp(-0.5 * x[i] * x[i]))).squareRoot()
        }
        x[n] = 0
        edge = x
        let f = x.map { exp(-0.5 * $0 * $0) }
        density = f
        var slope = [Double](repeating: 0, count: n)
        for i in 1 ..< n {
            slope[i] = (f[i + 1] - f[i]) / (x[i] - x[i + 1])
        }
        chordSlope = slope
        fast = .allocate(capacity: 2 * n)
        for i in 0..<n {
            // Truncation only ever sends a draw to the exact slow test, so
            // rounding here cannot bias the output.
            let acceptBelow = UInt64(x[i + 1] / x[i] * 0x1p52)
            fast[i] = assay_zig_layer(accept_below: acceptBelow, scale: x[i] * 0x1p-52)
            fast[n + i] = assay_zig_layer(accept_below: acceptBelow, scale: -x[i] * 0x1p-52)
        }
    }

    /// Area of each layer when the base edge is r: the base rectangle plus
    /// the tail beyond r, ∫_r^∞ exp(−x²/2) dx = √(π/2)·erfc(r/√2).
    static func layerArea(r: Double) -> Double {
        r * exp(-0.5 * r * r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    }

    /// What the top layer's area exceeds the common area by, after stacking
    /// layers from r upwards; negative (−∞) if the density ran out first.
    static func topLayerExcess(r: Double, layers n: Int) -> Double {
        let v = layerArea(r: r)
        var x = r
        for _ in 1..<(n - 1) {
            let a = v / x + exp(-0.5 * x * x)
            if a >= 1 { return -.infinity }
            x = (-2 * log(a)).squareRoot()
        }
        return x * (1 - exp(-0.5 * x * x)) - v
    }

    /// The accept-at-once path: nil for the ~0.43 % of draws that need the
    /// exact test. Bits 0–9 pick the layer, bit 10 the sign, bits 12–63 the
    /// magnitude.
    @inlinable @inline(__always)
    func fastNormal(_ u: UInt64) -> Double? {
        let layer = fast[Int(truncatingIfNeeded: u & UInt64(ASSAY_ZIG_TABLE_SIZE - 1))]
        let k = u >> 12
        guard k < layer.accept_below else { return nil }
        // Int64 conversion: k < 2^52, and signed conversion is one instruction.
        return Double(Int64(bitPattern: k)) * layer.scale
    }

    /// The exact test for a draw the fast path did not accept: the tail
    /// beyond r for the base strip, the wedge under the curve otherwise, and
    /// a fresh draw after a rejection.
    @usableFromInline @inline(never)
    func slowNormal(_ first: UInt64, _ g: inout RandomStream) -> Double {
        var u = first
        while true {
            if let z = fastNormal(u) { return z }
            let i = Int(truncatingIfNeeded: u) & (ZigguratTable.layerCount - 1)
            let signBit = (u >> UInt64(ZigguratTable.layerCount.trailingZeroBitCount) & 1) << 63
            if i == 0 {
                // Marsaglia's tail method (1964): exact for x > r.
                var x: Double, y: Double
                repeat {
                    x = -log(g.uniform()) / r
                    y = -log(g.uniform())
                } while y + y < x * x
                return Double(bitPattern: (r + x).bitPattern | signBit)
            }
            let z = Double(Int64(bitPattern: u >> 12)) * edge[i] * 0x1p-52
            let y = density[i] + g.uniform() * (density[i + 1] - density[i])
            if wedgeTest(layer: i, z: z, y: y) ?? (y < exp(-0.5 * z * z)) {
                return Double(bitPattern: z.bitPattern | signBit)
            }
            u = g.next()
        }
    }

    /// Whether y < f(z) in layer i's wedge, decided without `exp` where a
    /// straight line bounds f: the chord through the wedge's corners and the
    /// tangent at its outer edge x_i. Below 1, f is concave (chord ≤ f ≤
    /// tangent); above 1, convex (tangent ≤ f ≤ chord). nil when y lies
    /// between the two lines, or the wedge straddles the inflection at 1.
    ///
    /// This spares about nine in ten of the slow path's `exp` calls. The
    /// margin, far above the few ulps of rounding in the lines and in `exp`,
    /// leaves every close call to the exact test, so the answer is always
    /// the one `exp` gives.
    @inline(__always)
    func wedgeTest(layer i: Int, z: Double, y: Double) -> Bool? {
        let outer = edge[i]
        let chord = density[i] + chordSlope[i] * (outer - z)
        let tangent = density[i] * (1 + outer * (outer - z))
        let margin = 0x1p-40 * density[i + 1]
        if edge[i + 1] >= 1 {
            if y < tangent - margin { return true }
            if y > chord + margin { return false }
        } else if outer <= 1 {
            if y < chord - margin { return true }
            if y > tangent + margin { return false }
        }
        return nil
    }
}
