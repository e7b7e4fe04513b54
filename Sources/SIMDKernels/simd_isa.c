/* Run-time choice of a kernel variant; see include/simd_isa.h. */
#include "simd_isa.h"

int assay_simd_isa_available(assay_simd_isa isa)
{
    switch (isa) {
    case ASSAY_SIMD_AUTO:
    case ASSAY_SIMD_BASELINE:
        return 1;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    case ASSAY_SIMD_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2");
#endif
    default:
        return 0;
    }
}

assay_simd_isa assay_simd_isa_best(void)
{
    if (assay_simd_isa_available(ASSAY_SIMD_AVX2)) return ASSAY_SIMD_AVX2;
    return ASSAY_SIMD_BASELINE;
}

assay_simd_isa assay_simd_isa_resolve(assay_simd_isa isa)
{
    if (isa != ASSAY_SIMD_AUTO) return isa;
    /* Resolved once; threads racing here all store the same value. */
    static volatile int best = 0;
    if (best == 0) best = (int)assay_simd_isa_best();
    return (assay_simd_isa)best;
}
