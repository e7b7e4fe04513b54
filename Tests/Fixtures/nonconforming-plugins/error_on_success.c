/*
 * error_on_success.c -- a verify that writes its error buffer on success.
 *
 * breaks: error-untouched-on-success
 *
 * docs/ABI.md: "ASSAY_OK (0) | success; `error` is left alone". This
 * verify judges as the base does, then writes "ok" into the error buffer
 * and returns ASSAY_OK.
 */
#define FIXTURE_ID "error-on-success"
#define FIXTURE_SUMMARY "writes \"ok\" into the error buffer of every verify"
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
    for (i = 0; i < batch->rows; i++)
        keep[i] = fixture_rule(batch, i) > 0;
    fixture_refuse(error, ASSAY_OK, "ok");
    return ASSAY_OK;
}
