/*
 * conforming_generator.h -- a generator that keeps every rule `assay check`
 * checks, the base of this folder's generator fixtures.
 *
 * The task: x is two standard normals drawn from the stream, its label y
 * (one column) the sign of x[0]. The model "generator" labels by the sign
 * of x[0] + x[1] / 2 in both modes, so that some of its labels are wrong; every other name is ASSAY_ERROR_NOT_FOUND. Similarity is 1
 * when a label equals the truth, else 0. The task vector "direction" is
 * (1, 0). It has no log-likelihood and does not fit models
 * (ASSAY_ERROR_UNSUPPORTED). Its config must be {}. A fixture sets
 * FIXTURE_ID, FIXTURE_SUMMARY and, to replace a call, FIXTURE_HAS_DRAW or
 * FIXTURE_HAS_SIMILARITY, before including this file.
 */
#ifndef ASSAY_CONFORMING_GENERATOR_H
#define ASSAY_CONFORMING_GENERATOR_H

#include "assay_plugin.h"

#include <stdio.h>
#include <string.h>

#define FIXTURE_X_COLS 2

static int generator_token;

static assay_status generator_refuse(assay_error *error, assay_status status, const char *message)
{
    snprintf(error->message, sizeof error->message, "%s", message);
    return status;
}

static const char *generator_skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

static assay_status generator_create(const assay_plugin *plugin, const char *config_json,
                                     const assay_host *host, void **instance, assay_error *error)
{
    const char *s = generator_skip_space(config_json);
    (void)plugin;
    (void)host;
    if (*s != '{' || *(s = generator_skip_space(s + 1)) != '}' || *generator_skip_space(s + 1) != '\0')
        return generator_refuse(error, ASSAY_ERROR_CONFIG, FIXTURE_ID " config: expected {}; this plugin has no keys");
    *instance = &generator_token;
    return ASSAY_OK;
}

static void generator_destroy(void *instance)
{
    (void)instance;
}

static assay_status generator_prepare(void *instance, assay_random *rng, uint64_t *x_cols,
                                      uint64_t *y_cols, assay_error *error)
{
    (void)instance;
    (void)rng;
    (void)error;
    *x_cols = FIXTURE_X_COLS;
    *y_cols = 1;
    return ASSAY_OK;
}

static double generator_sign(double value)
{
    return value > 0 ? 1.0 : -1.0;
}

static assay_status generator_draw(void *instance, assay_random *rng, uint64_t count,
                                   double *x, double *y, assay_error *error);
static assay_status generator_similarity(void *instance, const assay_batch *batch,
                                         const double *y_true, double *s_out, assay_error *error);

#ifndef FIXTURE_HAS_DRAW
static assay_status generator_draw(void *instance, assay_random *rng, uint64_t count,
                                   double *x, double *y, assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)error;
    rng->normal(rng, x, count * FIXTURE_X_COLS);
    for (i = 0; i < count; i++)
        y[i] = generator_sign(x[i * FIXTURE_X_COLS]);
    return ASSAY_OK;
}
#endif

static assay_status generator_label(void *instance, const char *model, assay_label_mode mode,
                                    const assay_batch *batch, assay_random *rng, double *y_out,
                                    assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)mode;
    (void)rng;
    if (strcmp(model, "generator") != 0)
        return generator_refuse(error, ASSAY_ERROR_NOT_FOUND, FIXTURE_ID ": no such model; expected \"generator\"");
    for (i = 0; i < batch->rows; i++)
        y_out[i] = generator_sign(batch->x[i * batch->x_cols] + 0.5 * batch->x[i * batch->x_cols + 1]);
    return ASSAY_OK;
}

#ifndef FIXTURE_HAS_SIMILARITY
static assay_status generator_similarity(void *instance, const assay_batch *batch,
                                         const double *y_true, double *s_out, assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        s_out[i] = batch->y[i] == y_true[i] ? 1.0 : 0.0;
    return ASSAY_OK;
}
#endif

static assay_status generator_log_likelihood(void *instance, const char *model, const assay_batch *batch,
                                             double *out, assay_error *error)
{
    (void)instance;
    (void)model;
    (void)batch;
    (void)out;
    return generator_refuse(error, ASSAY_ERROR_UNSUPPORTED, FIXTURE_ID ": no log-likelihood");
}

static assay_status generator_fit(void *instance, const char *model, const assay_batch *batch,
                                  assay_error *error)
{
    (void)instance;
    (void)model;
    (void)batch;
    return generator_refuse(error, ASSAY_ERROR_UNSUPPORTED, FIXTURE_ID ": does not fit models");
}

static void generator_forget(void *instance, const char *model)
{
    (void)instance;
    (void)model;
}

static assay_status generator_task_vector(void *instance, const char *name, double *out, uint64_t count,
                                          assay_error *error)
{
    (void)instance;
    if (strcmp(name, "direction") != 0)
        return generator_refuse(error, ASSAY_ERROR_NOT_FOUND, FIXTURE_ID ": no such task vector; expected \"direction\"");
    if (count != FIXTURE_X_COLS)
        return generator_refuse(error, ASSAY_ERROR_ARGUMENT, FIXTURE_ID ": \"direction\" has 2 values");
    out[0] = 1;
    out[1] = 0;
    return ASSAY_OK;
}

static const assay_generator generator_calls = {
    sizeof(assay_generator), 0, generator_prepare, generator_draw, generator_label, generator_similarity,
    generator_log_likelihood, generator_fit, generator_forget, generator_task_vector,
};

static const assay_plugin generator_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_GENERATOR, FIXTURE_ID, "1.0.0", FIXTURE_SUMMARY, 0, NULL, 0,
    generator_create, generator_destroy, &generator_calls, NULL,
};

static const assay_plugin *const generator_plugins[] = {&generator_plugin};

static const assay_library generator_library = {
    ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, generator_plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &generator_library;
}

#endif
