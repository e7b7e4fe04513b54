/*
 * vector_kernels.h — small loops of the pool pass, in SIMD.
 *
 * A release build of Swift targets baseline x86-64, two doubles per vector
 * instruction and no AVX. These loops run over every value of a 10^8-row
 * pool, so they are written here once and compiled per instruction set
 * (simd_isa.h): each variant returns the same bits, on any CPU.
 */
#ifndef ASSAY_VECTOR_KERNELS_H
#define ASSAY_VECTOR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "simd_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if none of the `count` values is an infinity or a NaN, else 0. */
int assay_all_finite(const double *values, size_t count, assay_simd_isa isa);

/* x[i, j] = x[i, j] · scale + coefficient[i] · v[j], for the `rows` × `cols`
 * row-major x: two roundings per element, a product and then a sum (no
 * fused multiply-add). */
void assay_scale_add_rows(double *x, size_t rows, size_t cols, double scale,
                          const double *coefficient, const double *v,
                          assay_simd_isa isa);

/* The sums a verifier's tally takes of one batch: with similarity s and
 * keep bit q (q = 1 where keep[i] == 1, and everywhere when keep is NULL). */
typedef struct assay_keep_sums {
    uint64_t kept;      /* Σ q             */
    double good;        /* Σ s             */
    double good_kept;   /* Σ q · s         */
    double bad_kept;    /* Σ q · (1 − s)   */
} assay_keep_sums;

/* Row i is added to partial sum i mod 8; the eight partial sums are then
 * added pairwise, ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)). The order is
 * part of the result, and the same for every variant. */
assay_keep_sums assay_keep_sums_of(const double *similarity, const uint8_t *keep, size_t rows,
                                   assay_simd_isa isa);

#ifdef __cplusplus
}
#endif

#endif /* ASSAY_VECTOR_KERNELS_H */
