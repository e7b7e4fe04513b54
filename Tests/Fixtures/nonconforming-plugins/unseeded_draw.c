/*
 * unseeded_draw.c -- a generator drawing from randomness of its own.
 *
 * breaks: draw-deterministic
 *
 * The header: "Plugins must not use their own unseeded randomness." This
 * draw takes its normals from the host's stream as the base does, then
 * adds a jitter from a counter of its own (standing in for rand() or a
 * clock), so the same stream draws different samples.
 */
#define FIXTURE_ID "unseeded-draw"
#define FIXTURE_SUMMARY "adds a jitter of its own to every draw"
#define FIXTURE_HAS_DRAW
#include "conforming_generator.h"

static unsigned long jitter;

static assay_status generator_draw(void *instance, assay_random *rng, uint64_t count,
                                   double *x, double *y, assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)error;
    rng->normal(rng, x, count * FIXTURE_X_COLS);
    for (i = 0; i < count; i++) {
        x[i * FIXTURE_X_COLS + 1] += 1e-3 * (double)(jitter++ % 1000);
        y[i] = generator_sign(x[i * FIXTURE_X_COLS]);
    }
    return ASSAY_OK;
}
