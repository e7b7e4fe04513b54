/*
 * bad_keep.c -- a RULE verifier that breaks the keep[] contract.
 *
 * Plugin "bad-keep" creates, prepares and selects normally (RULE mode),
 * then writes keep = 2 for pool row 3 (the row whose index first_row + i
 * is 3, so the fault shows up once however the pool is cut into batches)
 * and a valid 0 or 1 everywhere else. The header allows only 0 and 1; the
 * host must check every keep value and fail the run with a message naming
 * the plugin and the row, rather than treating 2 as "true".
 */
#include "assay_plugin.h"

static int instance_token;

static assay_status bad_keep_create(const assay_plugin *plugin, const char *config_json,
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

static void bad_keep_destroy(void *instance)
{
    (void)instance;
}

static assay_status bad_keep_prepare(void *instance, const assay_task *task,
                                     assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)task;
    (void)rng;
    (void)error;
    return ASSAY_OK;
}

static assay_status bad_keep_selection(void *instance, assay_selection *out,
                                       assay_error *error)
{
    (void)instance;
    (void)error;
    out->mode = ASSAY_SELECT_RULE;
    out->reserved = 0;
    out->fraction = 1.0;
    return ASSAY_OK;
}

static assay_status bad_keep_verify(void *instance, const assay_batch *batch,
                                    assay_random *rng, uint8_t *keep, double *score,
                                    assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)rng;
    (void)score;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        keep[i] = batch->first_row + i == 3 ? 2 : (uint8_t)(i % 2);
    return ASSAY_OK;
}

static const assay_verifier bad_keep_calls = {
    sizeof(assay_verifier), 0, bad_keep_prepare, bad_keep_selection, bad_keep_verify,
};

static const assay_plugin bad_keep_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_VERIFIER, "bad-keep", "1.0.0",
    "writes keep = 2 for pool row 3", 0, NULL, 0,
    bad_keep_create, bad_keep_destroy, NULL, &bad_keep_calls,
};

static const assay_plugin *const plugins[] = {&bad_keep_plugin};

static const assay_library library = {
    ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &library;
}
