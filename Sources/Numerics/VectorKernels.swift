import SIMDKernels

// Loops that run over every value of the pool, in C so that they use AVX2
// where the CPU has it (a Swift release build targets baseline x86-64); see
// Sources/SIMDKernels/include/vector_kernels.h. Same bits on every CPU.

/// Whether no value is an infinity or a NaN.
public func allFinite(_ values: UnsafeBufferPointer<Double>, variant: SIMDVariant = .best) -> Bool {
    precondition(variant.isAvailable, "SIMD variant \(variant) is not available on this CPU")
    guard let base = values.baseAddress else { return true }
    return assay_all_finite(base, values.count, variant.isa) != 0
}

/// x[i, j] = x[i, j] · scale + coefficients[i] · v[j] for the row-major
/// `coefficients.count` × `v.count` matrix x, rounding the product and the
/// sum apart (no fused multiply-add).
public func scaleAddRows(_ x: UnsafeMutableBufferPointer<Double>, scale: Double,
                         coefficients: UnsafeBufferPointer<Double>, v: UnsafeBufferPointer<Double>,
                         variant: SIMDVariant = .best) {
    precondition(variant.isAvailable, "SIMD variant \(variant) is not available on this CPU")
    precondition(x.count == coefficients.count * v.count, "scaleAddRows: \(x.count) values for \(coefficients.count) × \(v.count)")
    guard let base = x.baseAddress, let coefficient = coefficients.baseAddress, let v = v.baseAddress else { return }
    assay_scale_add_rows(base, coefficients.count, x.count / coefficients.count, scale, coefficient, v, variant.isa)
}

/// Σ q, Σ s, Σ q·s and Σ q·(1 − s) over rows with similarity s and keep bit
/// q (q = 1 where `keep` is 1; everywhere when `keep` is nil). Row i goes to
/// partial sum i mod 8 and the partial sums are added pairwise: the order,
/// and so the last bits, are the same on every CPU.
public func keepSums(similarity: UnsafeBufferPointer<Double>, keep: UnsafeBufferPointer<UInt8>?,
                     variant: SIMDVariant = .best) -> (kept: Int, good: Double, goodKept: Double, badKept: Double) {
    precondition(variant.isAvailable, "SIMD variant \(variant) is not available on this CPU")
    precondition(keep.map { $0.count == similarity.count } ?? true, "keepSums: keep bits and similarities differ in count")
    guard let s = similarity.baseAddress else { return (0, 0, 0, 0) }
    let sums = assay_keep_sums_of(s, keep?.baseAddress, similarity.count, variant.isa)
    return (Int(sums.kept), sums.good, sums.good_kept, sums.bad_kept)
}
