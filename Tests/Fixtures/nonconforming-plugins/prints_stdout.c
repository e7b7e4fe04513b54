/*
 * prints_stdout.c -- a verify that talks on standard output.
 *
 * breaks: no-stdout
 *
 * Standard output is the host's (`assay run --json` writes its document
 * there); a plugin reports through host->log. This one printf()s a line
 * from every verify call.
 */
#define FIXTURE_ID "prints-stdout"
#define FIXTURE_SUMMARY "printf()s from verify"
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
    printf("prints-stdout: verifying %lu rows\n", (unsigned long)batch->rows);
    for (i = 0; i < batch->rows; i++)
        keep[i] = fixture_rule(batch, i) > 0;
    return ASSAY_OK;
}
