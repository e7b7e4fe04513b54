/*
 * fixture.h -- the well-behaved parts every fixture verifier shares.
 *
 * Each fixture in this folder breaks exactly one rule of assay_plugin.h
 * and is otherwise an ordinary RULE verifier that keeps every pair. It
 * sets what differs before including this file:
 *
 *   FIXTURE_ID, FIXTURE_SUMMARY      required: the plugin's id and one line
 *   FIXTURE_VERSION                  default "1.0.0"
 *   FIXTURE_MODE, FIXTURE_FRACTION   default ASSAY_SELECT_RULE, 1.0
 *   FIXTURE_ABI_MAJOR, _MINOR        default the header's
 *   FIXTURE_SIZE(type, last_field)   the struct_size written; default sizeof
 *   FIXTURE_NEEDS                    the host services asked for; default 0
 *   FIXTURE_HAS_SELECTION            the fixture defines fixture_selection
 *   FIXTURE_HAS_DESTROY              the fixture defines fixture_destroy
 *   FIXTURE_HAS_CREATE               the fixture defines fixture_create
 *   FIXTURE_HAS_VERIFY               the fixture defines fixture_verify
 */
#ifndef ASSAY_TEST_FIXTURE_H
#define ASSAY_TEST_FIXTURE_H

#include "assay_plugin.h"

#ifndef FIXTURE_VERSION
#define FIXTURE_VERSION "1.0.0"
#endif
#ifndef FIXTURE_MODE
#define FIXTURE_MODE ASSAY_SELECT_RULE
#endif
#ifndef FIXTURE_FRACTION
#define FIXTURE_FRACTION 1.0
#endif
#ifndef FIXTURE_ABI_MAJOR
#define FIXTURE_ABI_MAJOR ASSAY_ABI_MAJOR
#endif
#ifndef FIXTURE_ABI_MINOR
#define FIXTURE_ABI_MINOR ASSAY_ABI_MINOR
#endif
#ifndef FIXTURE_SIZE
#define FIXTURE_SIZE(type, last_field) sizeof(type)
#endif
#ifndef FIXTURE_NEEDS
#define FIXTURE_NEEDS 0
#endif

/* Declared here, defined below or by the fixture after its #include. */
static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error);
static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error);
static assay_status fixture_selection(void *instance, assay_selection *out,
                                      assay_error *error);
static void fixture_destroy(void *instance);

#ifndef FIXTURE_HAS_CREATE
static int fixture_instance_token;


static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)config_json;
    (void)host;
    (void)error;
    *instance = &fixture_instance_token;
    return ASSAY_OK;
}
#endif

#ifndef FIXTURE_HAS_VERIFY
static assay_status fixture_verify(void *instance, const assay_batch *batch,
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
#endif

#ifndef FIXTURE_HAS_DESTROY
static void fixture_destroy(void *instance)
{
    (void)instance;
}
#endif

static assay_status fixture_prepare(void *instance, const assay_task *task,
                                    assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)task;
    (void)rng;
    (void)error;
    return ASSAY_OK;
}

#ifndef FIXTURE_HAS_SELECTION
static assay_status fixture_selection(void *instance, assay_selection *out,
                                      assay_error *error)
{
    (void)instance;
    (void)error;
    out->mode = FIXTURE_MODE;
    out->reserved = 0;
    out->fraction = FIXTURE_FRACTION;
    return ASSAY_OK;
}
#endif

static const assay_verifier fixture_calls = {
    FIXTURE_SIZE(assay_verifier, verify), 0, fixture_prepare, fixture_selection, fixture_verify,
};

static const assay_plugin fixture_plugin = {
    FIXTURE_SIZE(assay_plugin, verifier), ASSAY_KIND_VERIFIER, FIXTURE_ID, FIXTURE_VERSION,
    FIXTURE_SUMMARY, FIXTURE_NEEDS, NULL, 0,
    fixture_create, fixture_destroy, NULL, &fixture_calls,
};

static const assay_plugin *const fixture_plugins[] = {&fixture_plugin};

static const assay_library fixture_library = {
    FIXTURE_ABI_MAJOR, FIXTURE_ABI_MINOR, FIXTURE_SIZE(assay_library, plugins), 1, fixture_plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &fixture_library;
}

#endif
