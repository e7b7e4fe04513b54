import SIMDKernels

/// A compiled variant of the C kernels in Sources/SIMDKernels: the normals'
/// fast path and the pool pass's vector loops. Every variant returns the
/// same numbers; they differ only in speed.
public enum SIMDVariant: CaseIterable, Sendable {
    /// Baseline x86-64 (SSE2), or whatever the target's baseline is.
    case baseline
    /// AVX2 (x86-64 only).
    case avx2

    /// The fastest variant this CPU runs.
    public static let best: SIMDVariant = assay_simd_isa_best() == ASSAY_SIMD_AVX2 ? .avx2 : .baseline

    /// Whether this CPU can run the variant.
    public var isAvailable: Bool { assay_simd_isa_available(isa) != 0 }

    var isa: assay_simd_isa {
        switch self {
        case .baseline: ASSAY_SIMD_BASELINE
        case .avx2: ASSAY_SIMD_AVX2
        }
    }
}
