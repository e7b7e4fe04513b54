/*
 * similarity_above_one.c -- a generator whose similarity leaves [0, 1].
 *
 * breaks: similarity-range
 *
 * The header: similarity is "s in [0, 1]". This one gives 1 for a label
 * equal to the truth, as the base does, but 2 (a distance, not a
 * similarity) for one that differs.
 */
#define FIXTURE_ID "similarity-above-one"
#define FIXTURE_SUMMARY "similarity 2 for a wrong label"
#define FIXTURE_HAS_SIMILARITY
#include "conforming_generator.h"

static assay_status generator_similarity(void *instance, const assay_batch *batch,
                                         const double *y_true, double *s_out, assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        s_out[i] = batch->y[i] == y_true[i] ? 1.0 : 2.0;
    return ASSAY_OK;
}
