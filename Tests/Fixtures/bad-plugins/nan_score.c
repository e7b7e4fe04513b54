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
#include "assay_plugin.h"

#include <math.h>

static int instance_token;

static assay_status nan_create(const assay_plugin *plugin, const char *config_json,
                               const assay_host *host, void **instance,
                               assay_error *error)
{
    (void)plugin;
    (void)config_json;
    (void)host;
    (void)error;
    *instance = &instance_token;
    return ASSAY_OK;
}

static void nan_destroy(void *instance)
{
    (void)instance;
}

static assay_status nan_prepare(void *instance, const assay_task *task,
                                assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)task;
    (void)rng;
    (void)error;
    return ASSAY_OK;
}

static assay_status nan_selection(void *instance, assay_selection *out,
                                  assay_error *error)
{
    (void)instance;
    (void)error;
    out->mode = ASSAY_SELECT_TOP_FRACTION;
    out->reserved = 0;
    out->fraction = 0.5;
    return ASSAY_OK;
}

static assay_status nan_verify(void *instance, const assay_batch *batch,
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

static const assay_verifier nan_calls = {
    sizeof(assay_verifier), 0, nan_prepare, nan_selection, nan_verify,
};

static const assay_plugin nan_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_VERIFIER, "nan-score", "1.0.0",
    "scores pool row 5 with NaN", 0, NULL, 0,
    nan_create, nan_destroy, NULL, &nan_calls,
};

static const assay_plugin *const plugins[] = {&nan_plugin};

static const assay_library library = {
    ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &library;
}
