/*
 * keep_correct.c -- plugin "keep-correct": a RULE verifier that asks the
 * host for the similarity of each pair and keeps those with s = 1, i.e.
 * y' = y on a task with a binary similarity (phi = 1, psi = 0, p* = 1).
 */
#include <stdio.h>
#include <stdlib.h>

#define FIXTURE_ID "keep-correct"
#define FIXTURE_SUMMARY "keeps the pairs whose similarity is 1"
#define FIXTURE_NEEDS ASSAY_NEEDS_TRUTH
#define FIXTURE_HAS_CREATE
#define FIXTURE_HAS_VERIFY
#include "../bad-plugins/fixture.h"

/* The instance is the host table: all verify needs. */
static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)config_json;
    (void)error;
    *instance = (void *)host;
    return ASSAY_OK;
}

static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error)
{
    const assay_host *host = instance;
    double *s = malloc(batch->rows * sizeof *s);
    assay_status status;
    uint64_t i;
    (void)rng;
    (void)score;
    if (!s) {
        snprintf(error->message, sizeof error->message, "keep-correct: out of memory");
        return ASSAY_ERROR_FAILED;
    }
    status = host->similarity(host, batch, s, error);
    if (status == ASSAY_OK)
        for (i = 0; i < batch->rows; i++)
            keep[i] = s[i] == 1;
    free(s);
    return status;
}
