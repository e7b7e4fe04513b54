/*
 * keep_none.c -- plugin "keep-none": a RULE verifier that drops every pair
 * (phi = psi = 0, p* undefined, nothing to retrain on).
 */
#define FIXTURE_ID "keep-none"
#define FIXTURE_SUMMARY "drops every pair"
#define FIXTURE_HAS_VERIFY
#include "../bad-plugins/fixture.h"

static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)rng;
    (void)score;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        keep[i] = 0;
    return ASSAY_OK;
}
