/*
 * The pool pass's small loops; see include/vector_kernels.h.
 *
 * Each body is written once with the compiler's generic vector types and
 * compiled for the baseline target and for AVX2. Contraction into fused
 * multiply-adds is off, so every variant rounds the same way.
 */
#include "vector_kernels.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

typedef uint64_t u64x8 __attribute__((vector_size(64)));
typedef int64_t i64x8 __attribute__((vector_size(64)));
typedef double f64x8 __attribute__((vector_size(64)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* ---- finiteness ------------------------------------------------------------ */

/* Adding 1 to an exponent field of all ones (inf or NaN) carries into the
 * sign bit, and only then: one and, one add and one or a value. */
ALWAYS_INLINE int all_finite_generic(const double *values, size_t count)
{
    const uint64_t exponent = 0x7FF0000000000000u, carry = 0x0010000000000000u;
    u64x8 seen = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        u64x8 bits;
        memcpy(&bits, values + i, sizeof bits);
        seen |= (bits & exponent) + carry;
    }
    uint64_t tail = 0;
    for (; i < count; i++) {
        uint64_t bits;
        memcpy(&bits, values + i, sizeof bits);
        tail |= (bits & exponent) + carry;
    }
    for (int lane = 0; lane < 8; lane++) tail |= seen[lane];
    return (tail >> 63) == 0;
}

/* ---- x · scale + coefficient ⊗ v ------------------------------------------- */

ALWAYS_INLINE void scale_add_rows_generic(double *x, size_t rows, size_t cols, double scale,
                                          const double *coefficient, const double *v)
{
    for (size_t i = 0; i < rows; i++) {
        double *row = x + i * cols;
        const double c = coefficient[i];
        size_t j = 0;
        for (; j + 8 <= cols; j += 8) {
            f64x8 r, w;
            memcpy(&r, row + j, sizeof r);
            memcpy(&w, v + j, sizeof w);
            const f64x8 scaled = r * scale;
            const f64x8 shift = c * w;
            r = scaled + shift;
            memcpy(row + j, &r, sizeof r);
        }
        for (; j < cols; j++) {
            const double scaled = row[j] * scale;
            const double shift = c * v[j];
            row[j] = scaled + shift;
        }
    }
}

/* ---- keep sums ------------------------------------------------------------- */

/* A macro, not a function: vectors passed by value change the calling
 * convention between targets, and compilers warn about it. */
#define PAIRWISE(p) ((((p)[0] + (p)[1]) + ((p)[2] + (p)[3])) + (((p)[4] + (p)[5]) + ((p)[6] + (p)[7])))

ALWAYS_INLINE assay_keep_sums keep_sums_generic(const double *similarity, const uint8_t *keep, size_t rows)
{
    f64x8 good = {0}, good_kept = {0}, bad_kept = {0};
    i64x8 kept = {0};
    const f64x8 one = {1, 1, 1, 1, 1, 1, 1, 1};
    size_t i = 0;
    for (; i + 8 <= rows; i += 8) {
        f64x8 s;
        memcpy(&s, similarity + i, sizeof s);
        f64x8 q = one;
        if (keep) {
            u8x8 bytes;
            memcpy(&bytes, keep + i, sizeof bytes);
            const i64x8 is_kept = __builtin_convertvector(bytes, i64x8) == 1; /* -1 where kept */
            kept -= is_kept;
            q = (f64x8)((u64x8)is_kept & (u64x8)one);
        } else {
            kept += 1;
        }
        good += s;
        const f64x8 good_term = q * s;
        const f64x8 bad_term = q * (one - s);
        good_kept += good_term;
        bad_kept += bad_term;
    }
    /* The last rows go to their lanes, in order. */
    for (size_t lane = 0; i < rows; i++, lane++) {
        const double s = similarity[i];
        const int is_kept = keep ? keep[i] == 1 : 1;
        const double q = is_kept ? 1.0 : 0.0;
        kept[lane] += is_kept;
        good[lane] += s;
        const double good_term = q * s;
        const double bad_term = q * (1.0 - s);
        good_kept[lane] += good_term;
        bad_kept[lane] += bad_term;
    }
    assay_keep_sums sums;
    uint64_t count = 0;
    for (int lane = 0; lane < 8; lane++) count += (uint64_t)kept[lane];
    sums.kept = count;
    sums.good = PAIRWISE(good);
    sums.good_kept = PAIRWISE(good_kept);
    sums.bad_kept = PAIRWISE(bad_kept);
    return sums;
}

/* ---- variants -------------------------------------------------------------- */

static int all_finite_baseline(const double *values, size_t count) { return all_finite_generic(values, count); }

static void scale_add_rows_baseline(double *x, size_t rows, size_t cols, double scale, const double *coefficient,
                                    const double *v)
{
    scale_add_rows_generic(x, rows, cols, scale, coefficient, v);
}

static assay_keep_sums keep_sums_baseline(const double *similarity, const uint8_t *keep, size_t rows)
{
    return keep_sums_generic(similarity, keep, rows);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define ASSAY_VECTOR_X86 1

__attribute__((target("avx2"))) static int all_finite_avx2(const double *values, size_t count)
{
    return all_finite_generic(values, count);
}

__attribute__((target("avx2"))) static void scale_add_rows_avx2(double *x, size_t rows, size_t cols, double scale,
                                                                const double *coefficient, const double *v)
{
    scale_add_rows_generic(x, rows, cols, scale, coefficient, v);
}

__attribute__((target("avx2"))) static assay_keep_sums keep_sums_avx2(const double *similarity, const uint8_t *keep,
                                                                       size_t rows)
{
    return keep_sums_generic(similarity, keep, rows);
}
#endif

int assay_all_finite(const double *values, size_t count, assay_simd_isa isa)
{
#ifdef ASSAY_VECTOR_X86
    if (assay_simd_isa_resolve(isa) == ASSAY_SIMD_AVX2) return all_finite_avx2(values, count);
#endif
    (void)isa;
    return all_finite_baseline(values, count);
}

void assay_scale_add_rows(double *x, size_t rows, size_t cols, double scale, const double *coefficient,
                          const double *v, assay_simd_isa isa)
{
#ifdef ASSAY_VECTOR_X86
    if (assay_simd_isa_resolve(isa) == ASSAY_SIMD_AVX2) {
        scale_add_rows_avx2(x, rows, cols, scale, coefficient, v);
        return;
    }
#endif
    (void)isa;
    scale_add_rows_baseline(x, rows, cols, scale, coefficient, v);
}

assay_keep_sums assay_keep_sums_of(const double *similarity, const uint8_t *keep, size_t rows, assay_simd_isa isa)
{
#ifdef ASSAY_VECTOR_X86
    if (assay_simd_isa_resolve(isa) == ASSAY_SIMD_AVX2) return keep_sums_avx2(similarity, keep, rows);
#endif
    (void)isa;
    return keep_sums_baseline(similarity, keep, rows);
}
