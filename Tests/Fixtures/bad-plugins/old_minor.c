/*
 * old_minor.c -- a valid verifier as a 1.0 build describes itself.
 *
 * Plugin "old-minor" keeps every pair (RULE mode). Its library table
 * declares abi_minor 0, and every struct_size it writes is computed as
 * "offset of the last 1.0 field + its size" rather than sizeof. Today both
 * are equal, so the fixture only checks that the host accepts it; it
 * exists to exercise the host's size-guarded reads, and starts to matter
 * when ABI 1.1 appends fields: then sizeof grows while these sizes do not,
 * and the host must load the library, skip the missing fields and run it
 * exactly as before. Keep the sizes written this way when the header grows.
 */
#include "assay_plugin.h"

/* The size of `type` as the 1.0 header ended it, at `last_field`. */
#define SIZE_UP_TO(type, last_field) \
    (offsetof(type, last_field) + sizeof(((const type *)0)->last_field))

static int instance_token;

static assay_status old_create(const assay_plugin *plugin, const char *config_json,
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

static void old_destroy(void *instance)
{
    (void)instance;
}

static assay_status old_prepare(void *instance, const assay_task *task,
                                assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)task;
    (void)rng;
    (void)error;
    return ASSAY_OK;
}

static assay_status old_selection(void *instance, assay_selection *out,
                                  assay_error *error)
{
    (void)instance;
    (void)error;
    out->mode = ASSAY_SELECT_RULE;
    out->reserved = 0;
    out->fraction = 1.0;
    return ASSAY_OK;
}

static assay_status old_verify(void *instance, const assay_batch *batch,
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

static const assay_verifier old_calls = {
    SIZE_UP_TO(assay_verifier, verify), 0, old_prepare, old_selection, old_verify,
};

static const assay_plugin old_plugin = {
    SIZE_UP_TO(assay_plugin, verifier), ASSAY_KIND_VERIFIER, "old-minor", "1.0.0",
    "keeps everything; describes itself as an ABI 1.0 build", 0, NULL, 0,
    old_create, old_destroy, NULL, &old_calls,
};

static const assay_plugin *const plugins[] = {&old_plugin};

static const assay_library library = {
    ASSAY_ABI_MAJOR, 0, SIZE_UP_TO(assay_library, plugins), 1, plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &library;
}
