/*
 * one_row_refused.c -- a verify that needs two rows.
 *
 * breaks: one-row-batch
 *
 * The header: "A batch has at least one row", so one row is a batch like
 * any other. This verify refuses batches of fewer than two rows (as one
 * that standardises a batch by its spread might).
 */
#define FIXTURE_ID "one-row-refused"
#define FIXTURE_SUMMARY "refuses batches of one row"
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
    if (batch->rows < 2)
        return fixture_refuse(error, ASSAY_ERROR_ARGUMENT,
                              FIXTURE_ID ": expected a batch of at least 2 rows");
    for (i = 0; i < batch->rows; i++)
        keep[i] = fixture_rule(batch, i) > 0;
    return ASSAY_OK;
}
