/*
 * top_correct.c -- plugin "top-correct": a TOP_FRACTION verifier whose
 * score is the host's similarity of each pair, 1 or 0 on a task with a
 * binary similarity: every score ties with many others, so the host's cut
 * must break ties. Config {"fraction": f} with f in (0, 1]; {} means 0.5.
 * When f·N is at most the number of good pairs, only good pairs are kept
 * (psi = 0, phi = round(f·N) / good); otherwise every good pair is kept
 * (phi = 1) and the rest are bad pairs.
 */
#include <stdio.h>
#include <stdlib.h>

#define FIXTURE_ID "top-correct"
#define FIXTURE_SUMMARY "scores each pair by its similarity and keeps a top fraction"
#define FIXTURE_NEEDS ASSAY_NEEDS_TRUTH
#define FIXTURE_HAS_CREATE
#define FIXTURE_HAS_VERIFY
#define FIXTURE_HAS_SELECTION
#define FIXTURE_HAS_DESTROY
#include "../bad-plugins/fixture.h"

typedef struct {
    const assay_host *host;
    double fraction;
} top_correct;

static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    top_correct *self;
    double fraction = 0.5;
    int end = 0;
    (void)plugin;
    if (!(sscanf(config_json, " { } %n", &end) >= 0 && end > 0 && config_json[end] == '\0')) {
        end = 0;
        if (!(sscanf(config_json, " { \"fraction\" : %lf } %n", &fraction, &end) == 1 && end > 0 &&
              config_json[end] == '\0')) {
            snprintf(error->message, sizeof error->message,
                     "top-correct: expected {} or {\"fraction\": number}, got %.200s", config_json);
            return ASSAY_ERROR_CONFIG;
        }
    }
    if (!(fraction > 0 && fraction <= 1)) {
        snprintf(error->message, sizeof error->message, "top-correct: fraction: expected a number in (0, 1]");
        return ASSAY_ERROR_CONFIG;
    }
    self = malloc(sizeof *self);
    if (!self) {
        snprintf(error->message, sizeof error->message, "top-correct: out of memory");
        return ASSAY_ERROR_FAILED;
    }
    self->host = host;
    self->fraction = fraction;
    *instance = self;
    return ASSAY_OK;
}

static void fixture_destroy(void *instance)
{
    free(instance);
}

static assay_status fixture_selection(void *instance, assay_selection *out, assay_error *error)
{
    (void)error;
    out->mode = ASSAY_SELECT_TOP_FRACTION;
    out->reserved = 0;
    out->fraction = ((top_correct *)instance)->fraction;
    return ASSAY_OK;
}

static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error)
{
    const assay_host *host = ((top_correct *)instance)->host;
    (void)rng;
    (void)keep;
    return host->similarity(host, batch, score, error);
}
