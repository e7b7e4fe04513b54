/*
 * ziggurat_kernel.h — the bulk fast path of Assay's normal generator.
 *
 * Numerics/Normal.swift owns the ziggurat (its tables, its exact slow path
 * and the random streams). This C kernel does the one thing Swift cannot do
 * well in a baseline x86-64 build: run eight xoshiro256++ generators side
 * by side in SIMD registers, and apply the ziggurat's accept-at-once test to
 * their draws. Like every kernel here it is compiled per instruction set
 * (simd_isa.h), and every variant returns the same numbers: the generators,
 * the acceptance test and the value of an accepted draw (an exact
 * int-to-double conversion and one multiply) are the same integer and IEEE
 * operations everywhere.
 */
#ifndef ASSAY_ZIGGURAT_KERNEL_H
#define ASSAY_ZIGGURAT_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "simd_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lanes per block: block m writes out[8 m + j] from lane j. */
enum { ASSAY_ZIG_LANES = 8 };

/* Entries of the fast-path table: 1024 layers, each with either sign. */
enum { ASSAY_ZIG_TABLE_SIZE = 2048 };

/* One entry of the fast-path table, indexed by a draw's low eleven bits
 * (layer in bits 0–9, sign in bit 10). A draw u is accepted at once when
 * k = u >> 12 is below accept_below, and its value is then k · scale. */
typedef struct assay_zig_layer {
    uint64_t accept_below; /* < 2^52                                   */
    double scale;          /* ± layer width · 2^-52                     */
} assay_zig_layer;

/* The states of the eight xoshiro256++ generators: word w of lane j is
 * s[w][j], so that one word of all lanes fills one 512-bit register. */
typedef struct assay_zig_lanes {
    uint64_t s[4][ASSAY_ZIG_LANES];
} assay_zig_lanes;

/* Draws the fast path did not accept, in increasing index order. */
typedef struct assay_zig_rejects {
    uint64_t *index;  /* where the value goes in `out`   */
    uint64_t *draw;   /* the draw itself, for the exact test */
    size_t capacity;  /* entries both arrays hold (at least 64) */
    size_t count;     /* entries in use; the kernel appends  */
} assay_zig_rejects;


/*
 * Runs up to `blocks` blocks of eight draws: each lane steps its generator
 * once per block, and out[8 m + j] receives lane j's value in block m.
 * Draws not accepted leave their out[...] unspecified and are appended to
 * `rejects`. The kernel stops before a group of eight blocks whose rejects
 * might not fit (fewer than 64 free entries) and returns the number of
 * blocks it ran; the lanes have then stepped exactly that many times.
 *
 * `table` has ASSAY_ZIG_TABLE_SIZE entries; `out` has room for 8 · blocks values; `isa` must
 * be available.
 */
size_t assay_zig_fill(const assay_zig_layer *table, assay_zig_lanes *lanes,
                      double *out, size_t blocks, assay_zig_rejects *rejects,
                      assay_simd_isa isa);

#ifdef __cplusplus
}
#endif

#endif /* ASSAY_ZIGGURAT_KERNEL_H */
