/*
 * embed.c -- Assay's host used from plain C through assay.h and libAssay.so.
 *
 * 1. Scores a selection of ten pairs given as arrays (no plugins involved).
 * 2. Shows that bad input is reported, not crashed on.
 * 3. Lists the plugins a fresh session found beside libAssay.so.
 * 4. Runs a small experiment from an inline TOML config and prints the
 *    JSON document of its results (the one `assay run --json` prints).
 *
 * Text goes to standard output, the JSON document last (from a line "{" to
 * the end); progress goes to standard error. Exit status 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>

#include "assay.h"

static const char *config =
    "seed = 3\n"
    "threads = 2\n"
    "[pool]\n"
    "size = 20000\n"
    "[test]\n"
    "size = 5000\n"
    "[retrain]\n"
    "n = [1000]\n"
    "[generator]\n"
    "plugin = \"gaussian-mixture\"\n"
    "n0 = 200\n"
    "[[verifier]]\n"
    "name = \"oracle\"\n"
    "plugin = \"oracle\"\n"
    "[[verifier]]\n"
    "name = \"noisy-0.25\"\n"
    "plugin = \"noisy\"\n"
    "p_noise = 0.25\n";

static void print_value(const char *name, int defined, double value, assay_interval interval) {
    if (defined)
        printf("%s = %.4f [%.4f, %.4f]\n", name, value, interval.lower, interval.upper);
    else
        printf("%s undefined\n", name);
}

/* Progress of the run, on stderr so that stdout stays text + JSON. */
static void on_progress(const char *stage, uint64_t done, uint64_t total, void *user) {
    (void)user;
    if (done == total)
        fprintf(stderr, "progress: %s %llu/%llu\n", stage, (unsigned long long)done,
                (unsigned long long)total);
}

int main(void) {
    uint32_t version = assay_host_abi_version();
    if (ASSAY_HOST_ABI_VERSION_MAJOR(version) != ASSAY_HOST_ABI_MAJOR) {
        fprintf(stderr, "libAssay speaks host ABI %u.%u; this program was built for %d.x\n",
                ASSAY_HOST_ABI_VERSION_MAJOR(version), ASSAY_HOST_ABI_VERSION_MINOR(version),
                ASSAY_HOST_ABI_MAJOR);
        return 1;
    }
    printf("assay host ABI %u.%u\n", ASSAY_HOST_ABI_VERSION_MAJOR(version),
           ASSAY_HOST_ABI_VERSION_MINOR(version));

    /* 1. Six good pairs (s = 1), three kept; four bad ones (s = 0), one
     *    kept: p = 0.4, phi = 3/6, psi = 1/4, p* = 0.5 / 0.75 = 2/3. */
    const double s[10] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
    const uint8_t q[10] = {1, 1, 1, 0, 0, 0, 1, 0, 0, 0};
    assay_scores scores = ASSAY_SCORES_INIT;
    assay_host_error error;
    if (assay_score(s, q, 10, &scores, &error) != ASSAY_HOST_OK) {
        fprintf(stderr, "assay_score: %s\n", error.message);
        return 1;
    }
    printf("scores of %llu pairs, %llu kept:\n", (unsigned long long)scores.pairs,
           (unsigned long long)scores.kept);
    printf("p = %.4f\n", scores.p);
    print_value("phi", scores.has_phi, scores.phi, scores.phi_interval);
    print_value("psi", scores.has_psi, scores.psi, scores.psi_interval);
    print_value("p*", scores.has_p_star, scores.p_star, scores.p_star_interval);

    /* 2. A similarity out of [0, 1]: a status and a message, no crash. */
    const double bad_s[3] = {1, 0.5, 1.5};
    const uint8_t bad_q[3] = {1, 0, 1};
    assay_host_status status = assay_score(bad_s, bad_q, 3, &scores, &error);
    printf("bad input: status %d: %s\n", (int)status, error.message);

    /* 3. The plugins a fresh session found. */
    assay_session *session = assay_session_create(&error);
    if (session == NULL) {
        fprintf(stderr, "assay_session_create: %s\n", error.message);
        return 1;
    }
    size_t count = assay_session_plugin_count(session);
    printf("plugins: %zu\n", count);
    for (size_t i = 0; i < count; i++)
        printf("  %s %s %s\n", assay_session_plugin_id(session, i),
               assay_session_plugin_kind(session, i), assay_session_plugin_version(session, i));

    /* 4. A small experiment; NULL db: nothing stored. */
    char *json = NULL;
    status = assay_session_run(session, config, NULL, ASSAY_RUN_DEFAULT, on_progress, NULL,
                               &json, &error);
    if (status != ASSAY_HOST_OK) {
        fprintf(stderr, "assay_session_run: status %d: %s\n", (int)status, error.message);
        assay_session_free(session);
        return 1;
    }
    printf("%s\n", json);
    assay_string_free(json);
    assay_session_free(session);
    return 0;
}
