/*
 * failing_create.c -- a valid verifier whose create always fails.
 *
 * Plugin "failing-create" loads and lists normally, but create returns
 * ASSAY_ERROR_CONFIG with the message "failing-create: this plugin always
 * refuses its config", whatever the config. The host must stop with that
 * message (naming the plugin), must not use the instance pointer, and must
 * not call destroy for an instance that was never made.
 */
#include "assay_plugin.h"

#include <stdio.h>

static assay_status failing_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)config_json;
    (void)host;
    if (instance != NULL)
        *instance = NULL;
    if (error != NULL)
        snprintf(error->message, sizeof error->message, "%s",
                 "failing-create: this plugin always refuses its config");
    return ASSAY_ERROR_CONFIG;
}

/* Never reached when the host behaves; harmless if it is. */
static void failing_destroy(void *instance)
{
    (void)instance;
}

static assay_status failing_prepare(void *instance, const assay_task *task,
                                    assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)task;
    (void)rng;
    (void)error;
    return ASSAY_OK;
}

static assay_status failing_selection(void *instance, assay_selection *out,
                                      assay_error *error)
{
    (void)instance;
    (void)error;
    out->mode = ASSAY_SELECT_RULE;
    out->reserved = 0;
    out->fraction = 1.0;
    return ASSAY_OK;
}

static assay_status failing_verify(void *instance, const assay_batch *batch,
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

static const assay_verifier failing_calls = {
    sizeof(assay_verifier), 0, failing_prepare, failing_selection, failing_verify,
};

static const assay_plugin failing_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_VERIFIER, "failing-create", "1.0.0",
    "refuses every config", 0, NULL, 0,
    failing_create, failing_destroy, NULL, &failing_calls,
};

static const assay_plugin *const plugins[] = {&failing_plugin};

static const assay_library library = {
    ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &library;
}
