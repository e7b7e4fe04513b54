/*
 * keep_two.c -- a RULE verifier that writes keep = 2.
 *
 * breaks: keep-bits
 *
 * The header: in RULE mode verify "fills keep[rows] with 0 or 1". This one
 * writes 2 for pool row 3 and the base's verdict everywhere else.
 */
#define FIXTURE_ID "keep-two"
#define FIXTURE_SUMMARY "writes keep = 2 for pool row 3"
#define FIXTURE_HAS_VERIFY
#include "conforming.h"

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
        keep[i] = batch->first_row + i == 3 ? 2 : fixture_rule(batch, i) > 0;
    return ASSAY_OK;
}
