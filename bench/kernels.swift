// Single-core timings of the kernels the pool pass and the retraining are
// made of, to set a floor for this machine (docs/PERFORMANCE.md).
//
// Built by `make bench` together with Assay's own Sources/Numerics/*.swift
// (compiled into this executable, not copied), so what is timed is the
// project's RNG, ziggurat and logistic regression, and OpenBLAS as Assay
// calls it. Prints one JSON document.
//
// `kernels probe` instead times the normals' fast path on every core at
// once, briefly, and prints the slowest core's ns per value: bench.py's
// check that the host is quiet before a measured run.

import COpenBLAS
import Foundation

@main
struct Kernels {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "probe" {
            print(probe())
            return
        }
        openblas_set_num_threads(1)
        var out: [String: Any] = [:]
        let d = 100

        // --- random numbers: ns per value, buffers the size of one chunk (L3) and one row block (L1)
        for (label, count) in [("chunk", 8192 * d), ("l1", 1024)] {
            var g = RandomStream(seed: 1, keys: [42])
            var doubles = [Double](repeating: 0, count: count)
            var bits = [UInt64](repeating: 0, count: count)
            let reps = 15
            out["normal_ns_\(label)"] = nsPerValue(reps: reps, count: count) {
                doubles.withUnsafeMutableBufferPointer { g.fillNormal($0) }
            }
            // Each compiled variant of the bulk fast path (same numbers, different speed).
            for kernel in SIMDVariant.allCases where kernel.isAvailable {
                out["normal_ns_\(label)_\(kernel)"] = nsPerValue(reps: reps, count: count) {
                    doubles.withUnsafeMutableBufferPointer { g.fillNormal($0, variant: kernel) }
                }
            }
            // The one-at-a-time generator (scalar xoshiro256++ and ziggurat).
            out["normal_ns_\(label)_scalar"] = nsPerValue(reps: reps, count: count) {
                for i in 0 ..< count { doubles[i] = g.normal() }
            }
            out["uniform_ns_\(label)"] = nsPerValue(reps: reps, count: count) {
                doubles.withUnsafeMutableBufferPointer { g.fillUniform($0) }
            }
            out["bits_ns_\(label)"] = nsPerValue(reps: reps, count: count) {
                bits.withUnsafeMutableBufferPointer { g.fillBits($0) }
            }
            blackhole(doubles[count / 2] + Double(bits[count / 3] & 1))
        }

        // --- one scan of a chunk with the vector kernels (Numerics/VectorKernels.swift), each
        // variant: the draw's affine transform, the host's finiteness check, a verifier's tally
        let chunk = 8192
        var x = [Double](repeating: 0, count: chunk * d)
        var g = RandomStream(seed: 2, keys: [1])
        x.withUnsafeMutableBufferPointer { g.fillNormal($0) }
        let w = (0 ..< d).map { _ in g.normal() / 10 }
        let shifts = (0 ..< chunk).map { $0 & 1 == 0 ? 0.15 : -0.15 }
        let similarity = (0 ..< chunk).map { _ in Double(g.next() & 1) }
        let keep = (0 ..< chunk).map { _ in UInt8(truncatingIfNeeded: g.next() & 1) }
        for variant in SIMDVariant.allCases where variant.isAvailable {
            out["affine_ns_per_value_\(variant)"] = nsPerValue(reps: 15, count: chunk * d) {
                x.withUnsafeMutableBufferPointer { x in
                    shifts.withUnsafeBufferPointer { c in
                        w.withUnsafeBufferPointer { scaleAddRows(x, scale: 0.1, coefficients: c, v: $0, variant: variant) }
                    }
                }
            }
            out["finite_ns_per_value_\(variant)"] = nsPerValue(reps: 15, count: chunk * d) {
                blackhole(x.withUnsafeBufferPointer { allFinite($0, variant: variant) } ? 1 : 0)
            }
            out["keep_sums_ns_per_row_\(variant)"] = nsPerValue(reps: 15, count: chunk * 1000) {
                similarity.withUnsafeBufferPointer { s in
                    keep.withUnsafeBufferPointer { k in
                        for _ in 0 ..< 1000 { blackhole(keepSums(similarity: s, keep: k, variant: variant).goodKept) }
                    }
                }
            }
        }
        out["zero_fill_ns_per_value"] = nsPerValue(reps: 15, count: chunk * d) {
            blackhole([Double](repeating: 0, count: chunk * d)[chunk])
        }

        // --- the host's check of a verifier's keep bits (VerifierInstance.keep): the early-exit
        // loop as written there, and a branch-free OR-reduction that vectorises
        var keepBits = [UInt8](repeating: 0, count: chunk)
        for i in 0 ..< chunk { keepBits[i] = UInt8(truncatingIfNeeded: g.next() & 1) }
        out["keep_check_loop_us"] = seconds(reps: 15) {
            for _ in 0 ..< 1000 { blackhole(Double(firstBadKeep(keepBits))) }
        } * 1e3
        out["keep_check_reduce_us"] = seconds(reps: 15) {
            for _ in 0 ..< 1000 { blackhole(Double(keepBits.withUnsafeBufferPointer { $0.reduce(0, |) } & ~1)) }
        } * 1e3

        // --- BLAS: one projection of a chunk (dgemv), one Hessian (dsyrk) whole and chunked as Assay does
        var margins = [Double](repeating: 0, count: chunk)
        let gemvSeconds = seconds(reps: 200) {
            x.withUnsafeBufferPointer { x in
                w.withUnsafeBufferPointer { w in
                    margins.withUnsafeMutableBufferPointer { m in
                        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(chunk), Int32(d), 1, x.baseAddress, Int32(d),
                                    w.baseAddress, 1, 0, m.baseAddress, 1)
                    }
                }
            }
        }
        out["dgemv_chunk_us"] = gemvSeconds * 1e6
        out["dgemv_ns_per_row"] = gemvSeconds * 1e9 / Double(chunk)
        out["dgemv_gbytes_per_s"] = Double(chunk * d * 8) / gemvSeconds / 1e9

        let n = 100_000
        var big = [Double](repeating: 0, count: n * d)
        big.withUnsafeMutableBufferPointer { g.fillNormal($0) }
        var gram = [Double](repeating: 0, count: d * d)
        let syrkWhole = seconds(reps: 5) {
            big.withUnsafeBufferPointer { b in
                gram.withUnsafeMutableBufferPointer { c in
                    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(n), 1, b.baseAddress, Int32(d), 0,
                                c.baseAddress, Int32(d))
                }
            }
        }
        let syrkRows = 32_768 / d
        let syrkChunked = seconds(reps: 5) {
            big.withUnsafeBufferPointer { b in
                gram.withUnsafeMutableBufferPointer { c in
                    var start = 0
                    while start < n {
                        let rows = min(syrkRows, n - start)
                        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(rows), 1,
                                    b.baseAddress! + start * d, Int32(d), 1, c.baseAddress, Int32(d))
                        start += rows
                    }
                }
            }
        }
        let syrkFlops = Double(n) * Double(d) * Double(d + 1)   // n·d(d+1)/2 multiply-adds
        out["dsyrk_1e5_ms"] = syrkWhole * 1e3
        out["dsyrk_1e5_gflops"] = syrkFlops / syrkWhole / 1e9
        out["dsyrk_1e5_chunked_ms"] = syrkChunked * 1e3
        out["dsyrk_1e5_chunked_gflops"] = syrkFlops / syrkChunked / 1e9
        var full = [Double](repeating: 0, count: d * d)
        let gemmSeconds = seconds(reps: 5) {
            big.withUnsafeBufferPointer { b in
                full.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(n), 1, b.baseAddress,
                                Int32(d), b.baseAddress, Int32(d), 0, c.baseAddress, Int32(d))
                }
            }
        }
        out["dgemm_xtx_1e5_gflops"] = 2 * Double(n) * Double(d * d) / gemmSeconds / 1e9

        // --- memory bandwidth: one read pass over 800 MB (far beyond L3)
        var huge = [Double](repeating: 1, count: 100_000_000)
        huge.withUnsafeMutableBufferPointer { $0.update(repeating: 1) }
        let readSeconds = seconds(reps: 3) {
            var acc0 = 0.0, acc1 = 0.0, acc2 = 0.0, acc3 = 0.0
            huge.withUnsafeBufferPointer { h in
                var i = 0
                while i < h.count { acc0 += h[i]; acc1 += h[i + 1]; acc2 += h[i + 2]; acc3 += h[i + 3]; i += 4 }
            }
            blackhole(acc0 + acc1 + acc2 + acc3)
        }
        out["read_gbytes_per_s"] = Double(huge.count * 8) / readSeconds / 1e9
        huge = []

        // --- the retraining: ridge logistic regression by Newton, as the generator plugin fits
        var fits: [[String: Any]] = []
        for rows in [1_000, 10_000, 100_000] {
            let (fx, fy) = mixture(rows: rows, d: d, seed: UInt64(rows))
            let (time, iterations) = timeFit(fx, fy, rows: rows, d: d)
            // Per Newton step: a Hessian (n·d(d+1)/2 FMA) and two dgemv (2·n·d FMA).
            fits.append(["rows": rows, "seconds": time, "iterations": iterations,
                         "ms_per_iteration": time * 1e3 / Double(max(iterations, 1)),
                         "hessian_ms_at_dsyrk_speed": Double(rows) / Double(n) * syrkWhole * 1e3])
        }
        out["logistic_fits"] = fits

        // The same fits on pairs a margin verifier kept (labels agree with a pruner at π/24 from
        // the class direction): close to separable, the case the retraining mostly sees.
        var selectedFits: [[String: Any]] = []
        for rows in [10_000, 100_000] {
            let (fx, fy) = marginSelected(rows: rows, d: d, seed: UInt64(rows) + 1)
            let (time, iterations) = timeFit(fx, fy, rows: rows, d: d)
            selectedFits.append(["rows": rows, "seconds": time, "iterations": iterations])
        }
        out["logistic_fits_selected"] = selectedFits

        let data = try! JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// ns per value of bulk normal fills on the slowest of the cores, each
    /// filling an L1-sized buffer ~30 ms long at once.
    ///
    /// The fills are compute-bound, like most of Assay's pool pass, so they
    /// slow down when another guest busies the physical core or its caches:
    /// what the guest's own load figures cannot show.
    static func probe() -> Double {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let values = 30_000_000, count = 2048
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: cores)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: cores) { core in
            var g = RandomStream(seed: 3, keys: [UInt64(core)])
            var buffer = [Double](repeating: 0, count: count)
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< values / count { buffer.withUnsafeMutableBufferPointer { g.fillNormal($0) } }
            results[core] = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(values)
            blackhole(buffer[count / 2])
        }
        return results.max()!
    }

    /// Seconds per ridge logistic fit as the generator plugin runs it
    /// (λ = 1e-4, gradient ≤ 1e-8), and its Newton iterations.
    static func timeFit(_ x: [Double], _ y: [Double], rows: Int, d: Int) -> (seconds: Double, iterations: Int) {
        var iterations = 0
        let time = seconds(reps: rows >= 100_000 ? 2 : 5) {
            let fit = try! x.withUnsafeBufferPointer { xp in
                try y.withUnsafeBufferPointer { yp in
                    try ridgeLogisticRegression(x: xp, rows: rows, cols: d, labels: yp, lambda: 1e-4,
                                                gradientTolerance: 1e-8, maxIterations: 100)
                }
            }
            iterations = fit.iterations
        }
        return (time, iterations)
    }

    /// Labelled samples of the benchmark task: y = ±1, x ~ N(y·0.15·e₁, I/d) (direction e₁ is as good as any).
    static func mixture(rows: Int, d: Int, seed: UInt64) -> ([Double], [Double]) {
        var g = RandomStream(seed: seed, keys: [7])
        var x = [Double](repeating: 0, count: rows * d)
        x.withUnsafeMutableBufferPointer { g.fillNormal($0) }
        var y = [Double](repeating: 0, count: rows)
        let scale = 1 / Double(d).squareRoot()
        for i in 0 ..< rows {
            // Sampled labels as the generator would make them: some noise on top of the class.
            let label: Double = g.uniform() < 0.5 ? -1 : 1
            for j in 0 ..< d { x[i * d + j] *= scale }
            x[i * d] += 0.15 * label
            y[i] = g.uniform() < 0.8 ? label : -label
        }
        return (x, y)
    }

    /// Rows of the benchmark task whose sampled label agrees with a linear pruner at π/24 from
    /// the class direction e₁, as the margin verifier keeps them.
    static func marginSelected(rows: Int, d: Int, seed: UInt64) -> ([Double], [Double]) {
        var g = RandomStream(seed: seed, keys: [8])
        let scale = 1 / Double(d).squareRoot()
        let (c, s) = (cos(Double.pi / 24), sin(Double.pi / 24))
        var x: [Double] = [], y: [Double] = []
        x.reserveCapacity(rows * d)
        var row = [Double](repeating: 0, count: d)
        while y.count < rows {
            let label: Double = g.uniform() < 0.5 ? -1 : 1
            row.withUnsafeMutableBufferPointer { g.fillNormal($0) }
            for j in 0 ..< d { row[j] *= scale }
            row[0] += 0.15 * label
            // The generator's label: sampled from σ(xᵀŵ) with ŵ ≈ 4.6·e₁.
            let synthesized: Double = g.uniform() < 1 / (1 + exp(-4.6 * row[0])) ? 1 : -1
            if synthesized * (c * row[0] + s * row[1]) > 0 {
                x.append(contentsOf: row)
                y.append(synthesized)
            }
        }
        return (x, y)
    }

    /// Median wall time of one call of `body` over `reps` calls (after one warm-up call).
    static func seconds(reps: Int, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0 ..< max(reps, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Median ns per value over `reps` timings, each of enough calls of
    /// `body` (which handles `count` values) for about 10^7 values.
    static func nsPerValue(reps: Int, count: Int, _ body: () -> Void) -> Double {
        let calls = max(1, 10_000_000 / count)
        return seconds(reps: reps) { for _ in 0 ..< calls { body() } } * 1e9 / Double(calls * count)
    }
}

@inline(never)
func blackhole(_ value: Double) {
    if value == 12345.678 { print("") }
}

/// The shape of VerifierInstance.keep's check: the first row whose keep bit is not 0 or 1.
@inline(never)
func firstBadKeep(_ keep: [UInt8]) -> Int {
    for row in 0 ..< keep.count where keep[row] > 1 { return row }
    return -1
}

