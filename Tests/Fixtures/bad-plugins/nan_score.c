/*
 * nan_score.c -- a TOP_FRACTION verifier that breaks the score contract.
 *
 * Plugin "nan-score" selects in TOP_FRACTION mode with fraction 0.5 and
 * scores every row with a finite number, except pool row 5 (first_row + i
 * is 5, so the fault shows up once however the pool is batched), which
 * gets NaN. NaN has no place in a ranking: the host must check that every
 * score is finite and fail the run with a message naming the plugin and
 * the row, rather than sort it somewhere arbitrary.
 */
#include <math.h>

#define FIXTURE_ID "nan-score"
#define FIXTURE_SUMMARY "scores pool row 5 with NaN"
#define FIXTURE_MODE ASSAY_SELECT_TOP_FRACTION
#define FIXTURE_FRACTION 0.5
#define FIXTURE_HAS_VERIFY
#include "fixture.h"

static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)rng;
    (void)keep;
    (void)error;
    for (i = 0; i < batch->rows; i++) {
        uint64_t row = batch->first_row + i;
        score[i] = row == 5 ? NAN : (double)(row % 7);
    }
    return ASSAY_OK;
}
