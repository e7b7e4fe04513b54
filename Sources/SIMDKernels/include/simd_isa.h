/*
 * simd_isa.h — which compiled variant of Assay's C kernels runs.
 *
 * Each kernel in this target is one C body compiled for the baseline
 * x86-64 target and again for AVX2, and the widest variant the CPU supports
 * is picked at run time. Every variant of a kernel returns the same bits:
 * the bodies use the same integer and IEEE operations in the same order
 * (no fused multiply-add, whose single rounding would differ), so a result
 * never depends on the machine that computed it.
 */
#ifndef ASSAY_SIMD_ISA_H
#define ASSAY_SIMD_ISA_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum assay_simd_isa {
    ASSAY_SIMD_AUTO = 0,     /* the best this machine runs */
    ASSAY_SIMD_BASELINE = 1, /* any x86-64 (SSE2), or any other CPU */
    ASSAY_SIMD_AVX2 = 2
} assay_simd_isa;

/* 1 if `isa` can run here (AUTO and BASELINE always can), else 0. */
int assay_simd_isa_available(assay_simd_isa isa);

/* The variant AUTO resolves to on this machine. */
assay_simd_isa assay_simd_isa_best(void);

/* `isa`, with AUTO resolved (once per process). */
assay_simd_isa assay_simd_isa_resolve(assay_simd_isa isa);

#ifdef __cplusplus
}
#endif

#endif /* ASSAY_SIMD_ISA_H */
