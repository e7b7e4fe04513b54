/*
 * nondeterministic_verify.c -- a verify whose answer depends on the call.
 *
 * breaks: verify-deterministic
 *
 * The header: "verify must give the same answer for the same batch and
 * stream". This one flips its rule on every other call (a call counter in
 * a static), so the same batch on the same stream is judged two ways.
 */
#define FIXTURE_ID "nondeterministic-verify"
#define FIXTURE_SUMMARY "flips its rule on every other call"
#define FIXTURE_HAS_VERIFY
#include "conforming.h"

static unsigned calls;

static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error)
{
    uint64_t i;
    unsigned flip = calls++ % 2;
    (void)instance;
    (void)rng;
    (void)score;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        keep[i] = (uint8_t)((fixture_rule(batch, i) > 0) ^ flip);
    return ASSAY_OK;
}
