/*
 * wrong_major.c -- a plugin library from a future, incompatible ABI.
 *
 * Its table declares abi_major = ASSAY_ABI_MAJOR + 1 and otherwise looks
 * entirely plausible: one verifier, id "future", that keeps every pair.
 * The host must read only abi_major and abi_minor (whose place never
 * changes), refuse the library with a message naming both versions, and
 * never call create or read past those fields.
 */
#include "assay_plugin.h"

static int instance_token;

static assay_status future_create(const assay_plugin *plugin, const char *config_json,
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

static void future_destroy(void *instance)
{
    (void)instance;
}

static assay_status future_prepare(void *instance, const assay_task *task,
                                   assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)task;
    (void)rng;
    (void)error;
    return ASSAY_OK;
}

static assay_status future_selection(void *instance, assay_selection *out,
                                     assay_error *error)
{
    (void)instance;
    (void)error;
    out->mode = ASSAY_SELECT_RULE;
    out->reserved = 0;
    out->fraction = 1.0;
    return ASSAY_OK;
}

static assay_status future_verify(void *instance, const assay_batch *batch,
                                  assay_random *rng, uint8_t *keep, double *score,
                                  assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)rng;
    (void)score;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        keep[i] = 1;
    return ASSAY_OK;
}

static const assay_verifier future_calls = {
    sizeof(assay_verifier), 0, future_prepare, future_selection, future_verify,
};

static const assay_plugin future_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_VERIFIER, "future", "2.0.0",
    "a verifier built against a later major ABI", 0, NULL, 0,
    future_create, future_destroy, NULL, &future_calls,
};

static const assay_plugin *const plugins[] = {&future_plugin};

static const assay_library library = {
    ASSAY_ABI_MAJOR + 1, 0, sizeof(assay_library), 1, plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &library;
}
