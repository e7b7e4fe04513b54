/*
 * Checks of assay.h that need C: NULL pointers and out-of-range arguments
 * are reported with a status and a message, never crashed on; error text
 * is truncated safely; two sessions run at once from two threads and give
 * the results one session gives alone. Prints one line per failed check
 * and "ok" at the end when none failed; the exit status is the count.
 *
 * Built and run by Tests/EmbedTests (cc -std=c99 -pthread ... -lAssay).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assay.h"

static int failures = 0;

#define CHECK(condition, ...)                                                 \
    do {                                                                      \
        if (!(condition)) {                                                   \
            failures++;                                                       \
            printf("FAILED line %d: %s: ", __LINE__, #condition);             \
            printf(__VA_ARGS__);                                              \
            printf("\n");                                                     \
        }                                                                     \
    } while (0)

/* status == expected and the message starts with `prefix`. */
static void expect(assay_host_status status, assay_host_status expected, const assay_host_error *error,
                   const char *prefix, int line) {
    if (status != expected || strncmp(error->message, prefix, strlen(prefix)) != 0) {
        failures++;
        printf("FAILED line %d: status %d (expected %d), message \"%s\" (expected \"%s...\")\n", line,
               (int)status, (int)expected, error->message, prefix);
    }
}
#define EXPECT(call, expected, prefix) expect((call), (expected), &error, (prefix), __LINE__)

static const char *config =
    "seed = 4\nthreads = 2\n[pool]\nsize = 6000\nchunk = 2000\n[test]\nsize = 2000\n"
    "[retrain]\nn = [500]\n[generator]\nplugin = \"gaussian-mixture\"\nn0 = 200\n"
    "[[verifier]]\nname = \"noisy-0.1\"\nplugin = \"noisy\"\np_noise = 0.1\n"
    "[[verifier]]\nname = \"margin\"\nplugin = \"margin\"\ntheta = 0.2\n";

static void *run_in_own_session(void *out) {
    assay_host_error error;
    assay_session *session = assay_session_create(&error);
    char **json = out;
    if (session == NULL || assay_session_run(session, config, NULL, ASSAY_RUN_DEFAULT, NULL, NULL, json,
                                             &error) != ASSAY_HOST_OK) {
        printf("FAILED: run in a thread: %s\n", error.message);
        *json = NULL;
    }
    assay_session_free(session);
    return NULL;
}

int main(void) {
    assay_host_error error;
    const double s[3] = {1, 0.5, 0};
    const uint8_t q[3] = {1, 1, 0};
    assay_scores out = ASSAY_SCORES_INIT;

    /* Scoring. */
    EXPECT(assay_score(NULL, q, 3, &out, &error), ASSAY_HOST_ERROR_ARGUMENT, "s is NULL");
    EXPECT(assay_score(s, NULL, 3, &out, &error), ASSAY_HOST_ERROR_ARGUMENT, "q is NULL");
    EXPECT(assay_score(s, q, 3, NULL, &error), ASSAY_HOST_ERROR_ARGUMENT, "out is NULL");
    EXPECT(assay_score(s, q, 0, &out, &error), ASSAY_HOST_ERROR_ARGUMENT, "n = 0: expected at least one pair");
    EXPECT(assay_score(s, q, SIZE_MAX, &out, &error), ASSAY_HOST_ERROR_ARGUMENT, "n = ");
    CHECK(assay_score(NULL, NULL, 0, NULL, NULL) == ASSAY_HOST_ERROR_ARGUMENT, "NULL error pointer");
    assay_scores unsized = ASSAY_SCORES_INIT;
    unsized.struct_size = 0;
    EXPECT(assay_score(s, q, 3, &unsized, &error), ASSAY_HOST_ERROR_ARGUMENT, "out->struct_size = 0");
    CHECK(assay_score(s, q, 3, &out, &error) == ASSAY_HOST_OK, "%s", error.message);
    CHECK(out.struct_size == sizeof(assay_scores), "struct_size %u", out.struct_size);
    CHECK(ASSAY_HOST_HAS_FIELD(&out, assay_scores, has_p_star_interval), "field not filled");
    CHECK(out.p == 0.5 && out.phi == 1.0 && out.has_p_star && out.p_star == 0.75, "p %g phi %g p* %g",
          out.p, out.phi, out.p_star);
    const double good[2] = {1, 1};
    CHECK(assay_score(good, q, 2, &out, &error) == ASSAY_HOST_OK && !out.has_psi && !out.has_p_star &&
              out.psi != out.psi /* NaN */, "psi of an all-good pool");

    /* Sessions: NULL session, NULL arguments, indices out of range. */
    assay_session_free(NULL);
    assay_string_free(NULL);
    CHECK(assay_session_plugin_count(NULL) == 0, "count of NULL");
    CHECK(assay_session_plugin_id(NULL, 0) == NULL, "id of NULL");
    CHECK(assay_session_unusable(NULL, 0) == NULL, "unusable of NULL");
    EXPECT(assay_session_load_plugin(NULL, "x.so", &error), ASSAY_HOST_ERROR_ARGUMENT, "session is NULL");
    char *json = (char *)"untouched";
    EXPECT(assay_session_run(NULL, config, NULL, 0, NULL, NULL, &json, &error), ASSAY_HOST_ERROR_ARGUMENT,
           "session is NULL");
    CHECK(json == NULL, "result_json not cleared on failure");

    assay_session *session = assay_session_create(&error);
    CHECK(session != NULL, "%s", error.message);
    if (session == NULL) return failures;
    size_t count = assay_session_plugin_count(session);
    CHECK(count >= 5, "%zu plugins", count);
    CHECK(assay_session_plugin_id(session, count) == NULL, "index out of range");
    CHECK(assay_session_plugin_file(session, (size_t)-1) == NULL, "index SIZE_MAX");
    EXPECT(assay_session_load_plugin(session, NULL, &error), ASSAY_HOST_ERROR_ARGUMENT, "path is NULL");
    EXPECT(assay_session_load_plugin(session, "/nonexistent/libx.so", &error), ASSAY_HOST_ERROR_PLUGIN,
           "/nonexistent/libx.so: no such plugin file");
    EXPECT(assay_session_add_plugin_folder(session, NULL, &error), ASSAY_HOST_ERROR_ARGUMENT, "folder is NULL");
    EXPECT(assay_session_add_plugin_folder(session, "/nonexistent", &error), ASSAY_HOST_ERROR_PLUGIN,
           "/nonexistent: not a readable folder");
    EXPECT(assay_session_run(session, NULL, NULL, 0, NULL, NULL, &json, &error), ASSAY_HOST_ERROR_ARGUMENT,
           "config is NULL");
    EXPECT(assay_session_run(session, config, NULL, 0, NULL, NULL, NULL, &error), ASSAY_HOST_ERROR_ARGUMENT,
           "result_json is NULL");
    EXPECT(assay_session_run(session, config, NULL, 6, NULL, NULL, &json, &error), ASSAY_HOST_ERROR_ARGUMENT,
           "flags = 6");
    EXPECT(assay_session_run(session, "seed = 1\n", NULL, 0, NULL, NULL, &json, &error),
           ASSAY_HOST_ERROR_CONFIG, "<config>");

    /* A message longer than the buffer is cut to fit, NUL-terminated. */
    char long_path[2000];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = 0;
    memset(error.message, 'x', sizeof error.message);
    CHECK(assay_session_load_plugin(session, long_path, &error) == ASSAY_HOST_ERROR_PLUGIN, "long path");
    const char *end = memchr(error.message, 0, sizeof error.message);
    CHECK(end != NULL && (size_t)(end - error.message) == ASSAY_HOST_ERROR_CAPACITY - 1,
          "message of %ld bytes", end ? (long)(end - error.message) : -1L);

    /* Two sessions at once give what one session gives alone. */
    char *alone = NULL;
    CHECK(assay_session_run(session, config, NULL, 0, NULL, NULL, &alone, &error) == ASSAY_HOST_OK, "%s",
          error.message);
    assay_session_free(session);
    char *results[2] = {NULL, NULL};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, run_in_own_session, &results[i]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < 2; i++)
        CHECK(alone && results[i] && strcmp(alone, results[i]) == 0, "thread %d's document differs", i);
    assay_string_free(alone);
    assay_string_free(results[0]);
    assay_string_free(results[1]);

    if (failures == 0) printf("ok\n");
    return failures;
}
