/*
 * conforming.h -- a verifier that keeps every rule `assay check` checks.
 *
 * Built on Tests/Fixtures/bad-plugins/fixture.h (its tables, prepare and
 * selection), with the two calls that header leaves lax replaced: its
 * create accepts any config, the very thing `assay check` refuses, and
 * its verify ignores the data. Each fixture in this folder breaks exactly
 * one named rule and is otherwise this plugin: a RULE verifier keeping the
 * pairs with y'[0] * x[0] > 0 (TOP_FRACTION: scoring them by that
 * product), taking no keys (its config must be {}), drawing nothing from
 * the stream and writing nothing but its outputs. A fixture sets what
 * differs before including this file:
 *
 *   FIXTURE_ID, FIXTURE_SUMMARY      required: the plugin's id and one line
 *   FIXTURE_MODE, FIXTURE_FRACTION   default ASSAY_SELECT_RULE, 1.0
 *   FIXTURE_SIZE(type, last_field)   the struct_size written; default sizeof
 *   FIXTURE_HAS_CREATE               the fixture defines fixture_create
 *   FIXTURE_HAS_VERIFY               the fixture defines fixture_verify
 *
 * fixture_refuse() and fixture_rule() are the base's pieces a fixture's own
 * create or verify can reuse.
 */
#ifndef ASSAY_CONFORMING_FIXTURE_H
#define ASSAY_CONFORMING_FIXTURE_H

/* fixture.h's create and verify are replaced below unless the fixture
 * brings its own. */
#ifndef FIXTURE_HAS_CREATE
#define FIXTURE_HAS_CREATE
#define CONFORMING_CREATE
#endif
#ifndef FIXTURE_HAS_VERIFY
#define FIXTURE_HAS_VERIFY
#define CONFORMING_VERIFY
#endif
#include "../bad-plugins/fixture.h"

#include <stdio.h>

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

#ifdef CONFORMING_CREATE
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

#ifdef CONFORMING_VERIFY
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

#endif
