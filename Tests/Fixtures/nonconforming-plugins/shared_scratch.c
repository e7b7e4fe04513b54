/*
 * shared_scratch.c -- a verify that keeps its working rows in a static.
 *
 * breaks: verify-concurrent
 *
 * The header: the batch calls "may run concurrently from several threads,
 * each with its own batch"; after prepare an instance must treat its state
 * as read-only in them, or guard it. This one computes each row's product
 * into one static scratch array, waits a little (as a slower rule would)
 * and then reads the array back: alone it is right, but two calls at once
 * read each other's rows.
 */
#define _POSIX_C_SOURCE 199309L
#define FIXTURE_ID "shared-scratch"
#define FIXTURE_SUMMARY "keeps its working rows in one static array shared by all calls"
#define FIXTURE_HAS_VERIFY
#include "conforming.h"

#include <time.h>

#define SCRATCH_ROWS 65536
static double scratch[SCRATCH_ROWS];

static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error)
{
    uint64_t i;
    struct timespec pause = {0, 2000000}; /* 2 ms */
    (void)instance;
    (void)rng;
    (void)score;
    if (batch->rows > SCRATCH_ROWS)
        return fixture_refuse(error, ASSAY_ERROR_ARGUMENT,
                              FIXTURE_ID ": expected at most 65536 rows in a batch");
    for (i = 0; i < batch->rows; i++)
        scratch[i] = fixture_rule(batch, i);
    nanosleep(&pause, NULL);
    for (i = 0; i < batch->rows; i++)
        keep[i] = scratch[i] > 0;
    return ASSAY_OK;
}
