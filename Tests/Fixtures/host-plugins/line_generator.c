/*
 * line_generator.c -- a one-dimensional task whose every number can be
 * worked out by hand, for the host's unit tests.
 *
 * Plugin "fixture-line" (generator). x is one uniform draw in (0, 1) from
 * the stream the host gives draw(); the truth is y = 1 when x > 0.5, else
 * 0. A model is a threshold t labelling y = 1 when x > t (synthesizing and
 * predicting alike, with no randomness):
 *   "generator"  t = cut (config, default 0.6): wrong exactly on (0.5, cut];
 *   "bayes"      t = 0.5, always right;
 *   fit(name)    t = the midpoint of the mean x of the pairs labelled 0
 *                and of those labelled 1; with one label only, the model
 *                that always gives it (t = 0 for 1, t = 1 for 0).
 * similarity is 1 when y' = y, else 0. log_likelihood under a model of
 * threshold t is log 0.9 when y' is the model's label, else log 0.1.
 * With {"width": w}, x has w columns, all uniform, and only the first
 * decides the label (for tests of how the host blocks wide rows).
 * Config keys: cut in [0.5, 1], width an integer in [1, 1000]; any other
 * key is refused.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assay_plugin.h"

#define MODEL_CAPACITY 256
#define NAME_CAPACITY 128
#define LOG_POINT_NINE (-0.10536051565782628)  /* log 0.9 */
#define LOG_POINT_ONE (-2.3025850929940455)    /* log 0.1 */

typedef struct {
    char name[NAME_CAPACITY];
    double threshold;
} line_model;

typedef struct {
    double cut;
    uint64_t width;
    pthread_mutex_t lock;  /* guards models and count: fit runs beside batch calls */
    line_model models[MODEL_CAPACITY];
    int count;
} line_task;

static void fail(assay_error *error, const char *message, const char *detail)
{
    if (error)
        snprintf(error->message, sizeof error->message, "fixture-line: %s%s", message, detail ? detail : "");
}

/* Reads a flat JSON object of numbers; only "cut" and "width" are known.
 * Returns 0 and fills `error` on anything else. */
static int parse_config(const char *json, double *cut, double *width, assay_error *error)
{
    const char *p = json;
    while (isspace((unsigned char)*p)) p++;
    if (*p++ != '{') goto malformed;
    while (isspace((unsigned char)*p)) p++;
    if (*p == '}') return 1;
    for (;;) {
        char key[16];
        size_t length = 0;
        char *end;
        double value;
        while (isspace((unsigned char)*p)) p++;
        if (*p++ != '"') goto malformed;
        while (*p && *p != '"' && length + 1 < sizeof key) key[length++] = *p++;
        key[length] = '\0';
        if (*p++ != '"') goto malformed;
        while (isspace((unsigned char)*p)) p++;
        if (*p++ != ':') goto malformed;
        value = strtod(p, &end);
        if (end == p) goto malformed;
        p = end;
        if (strcmp(key, "cut") == 0) *cut = value;
        else if (strcmp(key, "width") == 0) *width = value;
        else {
            fail(error, "unknown config key ", key);
            return 0;
        }
        while (isspace((unsigned char)*p)) p++;
        if (*p == ',') { p++; continue; }
        if (*p++ != '}') goto malformed;
        while (isspace((unsigned char)*p)) p++;
        if (*p == '\0') return 1;
        goto malformed;
    }
malformed:
    fail(error, "expected a JSON object of numbers (cut, width), got ", json);
    return 0;
}

static assay_status line_create(const assay_plugin *plugin, const char *config_json,
                                const assay_host *host, void **instance, assay_error *error)
{
    line_task *task;
    double cut = 0.6, width = 1;
    (void)plugin;
    (void)host;
    if (!parse_config(config_json, &cut, &width, error))
        return ASSAY_ERROR_CONFIG;
    if (!(cut >= 0.5 && cut <= 1)) {
        fail(error, "cut: expected a number in [0.5, 1]", NULL);
        return ASSAY_ERROR_CONFIG;
    }
    if (!(width >= 1 && width <= 1000 && width == (double)(uint64_t)width)) {
        fail(error, "width: expected an integer in [1, 1000]", NULL);
        return ASSAY_ERROR_CONFIG;
    }
    task = calloc(1, sizeof *task);
    if (!task) {
        fail(error, "out of memory", NULL);
        return ASSAY_ERROR_FAILED;
    }
    task->cut = cut;
    task->width = (uint64_t)width;
    pthread_mutex_init(&task->lock, NULL);
    *instance = task;
    return ASSAY_OK;
}

static void line_destroy(void *instance)
{
    line_task *task = instance;
    pthread_mutex_destroy(&task->lock);
    free(task);
}

/* The threshold of `model`, or 0 when there is no such model. */
static int threshold_of(line_task *task, const char *model, double *threshold, assay_error *error)
{
    int i, found = 0;
    if (strcmp(model, "generator") == 0) {
        *threshold = task->cut;
        return 1;
    }
    if (strcmp(model, "bayes") == 0) {
        *threshold = 0.5;
        return 1;
    }
    pthread_mutex_lock(&task->lock);
    for (i = 0; i < task->count && !found; i++)
        if (strcmp(task->models[i].name, model) == 0) {
            *threshold = task->models[i].threshold;
            found = 1;
        }
    pthread_mutex_unlock(&task->lock);
    if (!found)
        fail(error, "no model named ", model);
    return found;
}

static assay_status line_prepare(void *instance, assay_random *rng, uint64_t *x_cols, uint64_t *y_cols,
                                 assay_error *error)
{
    (void)rng;
    (void)error;
    *x_cols = ((line_task *)instance)->width;
    *y_cols = 1;
    return ASSAY_OK;
}

static assay_status line_draw(void *instance, assay_random *rng, uint64_t count, double *x, double *y,
                              assay_error *error)
{
    uint64_t i, width = ((line_task *)instance)->width;
    (void)error;
    rng->uniform(rng, x, count * width);
    for (i = 0; i < count; i++)
        y[i] = x[i * width] > 0.5 ? 1 : 0;
    return ASSAY_OK;
}

static assay_status line_label(void *instance, const char *model, assay_label_mode mode,
                               const assay_batch *batch, assay_random *rng, double *y_out,
                               assay_error *error)
{
    uint64_t i;
    double t;
    (void)mode;
    (void)rng;
    if (!threshold_of(instance, model, &t, error))
        return ASSAY_ERROR_NOT_FOUND;
    for (i = 0; i < batch->rows; i++)
        y_out[i] = batch->x[i * batch->x_cols] > t ? 1 : 0;
    return ASSAY_OK;
}

static assay_status line_similarity(void *instance, const assay_batch *batch, const double *y_true,
                                    double *s_out, assay_error *error)
{
    uint64_t i;
    (void)instance;
    (void)error;
    for (i = 0; i < batch->rows; i++)
        s_out[i] = batch->y[i] == y_true[i] ? 1 : 0;
    return ASSAY_OK;
}

static assay_status line_log_likelihood(void *instance, const char *model, const assay_batch *batch,
                                        double *out, assay_error *error)
{
    uint64_t i;
    double t;
    if (!threshold_of(instance, model, &t, error))
        return ASSAY_ERROR_NOT_FOUND;
    for (i = 0; i < batch->rows; i++) {
        double label = batch->x[i * batch->x_cols] > t ? 1 : 0;
        out[i] = batch->y[i] == label ? LOG_POINT_NINE : LOG_POINT_ONE;
    }
    return ASSAY_OK;
}

static assay_status line_fit(void *instance, const char *model, const assay_batch *batch,
                             assay_error *error)
{
    line_task *task = instance;
    double sum[2] = {0, 0}, count[2] = {0, 0}, threshold;
    uint64_t i;
    int slot;
    for (i = 0; i < batch->rows; i++) {
        int label = batch->y[i] > 0.5;
        sum[label] += batch->x[i * batch->x_cols];
        count[label] += 1;
    }
    if (count[0] == 0 && count[1] == 0) {
        fail(error, "fit: expected at least one pair for model ", model);
        return ASSAY_ERROR_ARGUMENT;
    }
    if (strlen(model) >= NAME_CAPACITY) {
        fail(error, "fit: model name too long: ", model);
        return ASSAY_ERROR_ARGUMENT;
    }
    /* One label only: the model that always gives it. */
    if (count[0] == 0)
        threshold = 0;
    else if (count[1] == 0)
        threshold = 1;
    else
        threshold = (sum[0] / count[0] + sum[1] / count[1]) / 2;
    pthread_mutex_lock(&task->lock);
    for (slot = 0; slot < task->count; slot++)
        if (strcmp(task->models[slot].name, model) == 0)
            break;
    if (slot == task->count && task->count == MODEL_CAPACITY) {
        pthread_mutex_unlock(&task->lock);
        fail(error, "fit: too many models, at ", model);
        return ASSAY_ERROR_FAILED;
    }
    if (slot == task->count) {
        strcpy(task->models[slot].name, model);
        task->count++;
    }
    task->models[slot].threshold = threshold;
    pthread_mutex_unlock(&task->lock);
    return ASSAY_OK;
}

static void line_forget(void *instance, const char *model)
{
    line_task *task = instance;
    int i;
    pthread_mutex_lock(&task->lock);
    for (i = 0; i < task->count; i++)
        if (strcmp(task->models[i].name, model) == 0) {
            task->models[i] = task->models[task->count - 1];
            task->count--;
            break;
        }
    pthread_mutex_unlock(&task->lock);
}

static assay_status line_task_vector(void *instance, const char *name, double *out, uint64_t count,
                                     assay_error *error)
{
    (void)instance;
    (void)out;
    (void)count;
    fail(error, "no task vector named ", name);
    return ASSAY_ERROR_NOT_FOUND;
}

static const assay_param line_params[] = {
    {"cut", "number", "0.6", "the generator's threshold: its labels are wrong on (0.5, cut]"},
    {"width", "integer", "1", "columns of x; only the first decides the label"},
};

static const assay_generator line_calls = {
    sizeof(assay_generator), 0, line_prepare, line_draw, line_label, line_similarity,
    line_log_likelihood, line_fit, line_forget, line_task_vector,
};

static const assay_plugin line_plugin = {
    sizeof(assay_plugin), ASSAY_KIND_GENERATOR, "fixture-line", "1.0.0",
    "x uniform on (0, 1), truth x > 0.5, the generator's labels x > cut", 0,
    line_params, 2, line_create, line_destroy, &line_calls, NULL,
};

static const assay_plugin *const line_plugins[] = {&line_plugin};

static const assay_library line_library = {
    ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, line_plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &line_library;
}
