/*
 * conforming.h -- a verifier that keeps every rule `assay check` checks.
 *
 * The pattern of Tests/Fixtures/bad-plugins/fixture.h, with a base that
 * conforms in full (that header's create accepts any config, which is the
 * very thing `assay check` refuses). Each fixture in this folder breaks
 * exactly one named rule and is otherwise this plugin: a RULE verifier
 * keeping the pairs with y'[0] * x[0] > 0 (TOP_FRACTION: scoring them by
 * that product), taking no keys (its config must be {}), drawing nothing
 * from the stream and writing nothing but its outputs. A fixture sets what
 * differs before including this file:
 *
 *   FIXTURE_ID, FIXTURE_SUMMARY      required: the plugin's id and one line
 *   FIXTURE_MODE, FIXTURE_FRACTION   default ASSAY_SELECT_RULE, 1.0
 *   FIXTURE_VERIFIER_SIZE            the call table's struct_size; default sizeof
 *   FIXTURE_HAS_CREATE               the fixture defines fixture_create
 *   FIXTURE_HAS_VERIFY               the fixture defines fixture_verify
 *
 * fixture_refuse() and fixture_rule() are the base's pieces a fixture's own
 * create or verify can reuse.
 */
#ifndef ASSAY_CONFORMING_FIXTURE_H
#define ASSAY_CONFORMING_FIXTURE_H

#include "assay_plugin.h"

#include <stdio.h>

#ifndef FIXTURE_MODE
#define FIXTURE_MODE ASSAY_SELECT_RULE
#endif
#ifndef FIXTURE_FRACTION
#define FIXTURE_FRACTION 1.0
#endif
#ifndef FIXTURE_VERIFIER_SIZE
#define FIXTURE_VERIFIER_SIZE sizeof(assay_verifier)
#endif

static int fixture_instance_token;

/* Fills `error` with one line and returns `status`. */
static assay_status fixture_refuse(assay_error *error, assay_status status, const char *message)
{
    snprintf(error->message, sizeof error->message, "%s", message);
    return status;
}

/* The verdict on row i: y'[0] * x[0]. */
static double fixture_rule(const assay_batch *batch, uint64_t i)
{
    return batch->y[i * batch->y_cols] * batch->x[i * batch->x_cols];
}

static const char *fixture_skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* True for "{}" with any JSON whitespace around and inside. */
static int fixture_is_empty_object(const char *json)
{
    json = fixture_skip_space(json);
    if (*json != '{')
        return 0;
    json = fixture_skip_space(json + 1);
    if (*json != '}')
        return 0;
    return *fixture_skip_space(json + 1) == '\0';
}

static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error);
static assay_status fixture_verify(void *instance, const assay_batch *batch,
                                   assay_random *rng, uint8_t *keep, double *score,
                                   assay_error *error);

#ifndef FIXTURE_HAS_CREATE
static assay_status fixture_create(const assay_plugin *plugin, const char *config_json,
                                   const assay_host *host, void **instance,
                                   assay_error *error)
{
    (void)plugin;
    (void)host;
    if (!fixture_is_empty_object(config_json))
        return fixture_refuse(error, ASSAY_ERROR_CONFIG,
                              FIXTURE_ID " config: expected {}; this plugin has no keys");
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
    (void)error;
    for (i = 0; i < batch->rows; i++) {
        if (keep != NULL)
            keep[i] = fixture_rule(batch, i) > 0;
        else
            score[i] = fixture_rule(batch, i);
    }
    return ASSAY_OK;
}
#endif

static void fixture_destroy(void *instance)
{
    (void)instance;
}

static assay_status fixture_prepare(void *instance, const assay_task *task,
                                    assay_random *rng, assay_error *error)
{
    (void)instance;
    (void)rng;
    if (task->x_cols < 1 || task->y_cols < 1)
        return fixture_refuse(error, ASSAY_ERROR_ARGUMENT,
                              FIXTURE_ID ": expected a task with at least one x and one y column");
    return ASSAY_OK;
}

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

static const assay_verifier fixture_calls = {
    FIXTURE_VERIFIER_SIZE, 0, fixture_prepare, fixture_selection, fixture_verify,
};

static const assay_plugin fixture_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_VERIFIER, FIXTURE_ID, "1.0.0",
    FIXTURE_SUMMARY, 0, NULL, 0,
    fixture_create, fixture_destroy, NULL, &fixture_calls,
};

static const assay_plugin *const fixture_plugins[] = {&fixture_plugin};

static const assay_library fixture_library = {
    ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, fixture_plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &fixture_library;
}

#endif
