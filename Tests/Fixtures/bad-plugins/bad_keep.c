/*
 * bad_keep.c -- a RULE verifier that breaks the keep[] contract.
 *
 * Plugin "bad-keep" creates, prepares and selects normally (RULE mode),
 * then writes keep = 2 for pool row 3 (the row whose index first_row + i
 * is 3, so the fault shows up once however the pool is cut into batches)
 * and a valid 0 or 1 everywhere else. The header allows only 0 and 1; the
 * host must check every keep value and fail the run with a message naming
 * the plugin and the row, rather than treating 2 as "true".
 */
#define FIXTURE_ID "bad-keep"
#define FIXTURE_SUMMARY "writes keep = 2 for pool row 3"
#define FIXTURE_HAS_VERIFY
#include "fixture.h"

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
        keep[i] = batch->first_row + i == 3 ? 2 : (uint8_t)(i % 2);
    return ASSAY_OK;
}
