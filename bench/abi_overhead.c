/*
 * abi_overhead.c -- what crossing the plugin ABI costs a verifier.
 *
 * Loads a margin verifier library (libassay_margin.so) with dlopen, creates
 * an instance with explicit weights w, and times verify() on one batch of
 * ROWS x COLS through the C ABI against the same arithmetic done here
 * directly: one dgemv for the margins and a sign compare per row. The
 * difference is what the ABI and the plugin's Swift wrapper add per call
 * (entry trampolines, error plumbing, batch checks, the plugin's scratch
 * buffer). A batch of one row gives the fixed cost of a call.
 *
 *   abi_overhead LIBRARY [ROWS [COLS [ROUNDS]]]   prints one JSON document
 *
 * Both sides run on one thread (OpenBLAS too), alternating round by round;
 * the figures are medians over the rounds. The keep bits of the two sides
 * are compared, so the harness also checks that it timed the same work.
 */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assay_plugin.h"

void openblas_set_num_threads(int num_threads);

/* ---- a tiny host ---------------------------------------------------------- */

static void host_log(const assay_host *host, assay_log_level level, const char *message) {
    (void)host;
    if (level >= ASSAY_LOG_WARNING) fprintf(stderr, "plugin: %s\n", message);
}

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform01(uint64_t *s) { return ((double)(splitmix(s) >> 11) + 0.5) * 0x1p-53; }

static void rng_uniform(assay_random *rng, double *out, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) out[i] = uniform01((uint64_t *)rng->state);
}

static void rng_normal(assay_random *rng, double *out, uint64_t count) {
    uint64_t *s = (uint64_t *)rng->state;
    for (uint64_t i = 0; i < count; i++) {
        double u = uniform01(s), v = uniform01(s);
        out[i] = sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
    }
}

static void rng_bits(assay_random *rng, uint64_t *out, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) out[i] = splitmix((uint64_t *)rng->state);
}

/* ---- timing --------------------------------------------------------------- */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, compare);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The work the margin verifier does, written directly. */
static void direct_verify(const double *x, const double *y, const double *w, double *margin, uint8_t *keep,
                          int rows, int cols) {
    cblas_dgemv(CblasRowMajor, CblasNoTrans, rows, cols, 1.0, x, cols, w, 1, 0.0, margin, 1);
    for (int i = 0; i < rows; i++) keep[i] = y[i] * margin[i] > 0;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "abi_overhead: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 2) die("usage: abi_overhead LIBRARY [ROWS [COLS [ROUNDS]]]", NULL);
    const int rows = argc > 2 ? atoi(argv[2]) : 8192;
    const int cols = argc > 3 ? atoi(argv[3]) : 100;
    const int rounds = argc > 4 ? atoi(argv[4]) : 21;
    if (rows < 1 || cols < 1 || rounds < 1) die("ROWS, COLS and ROUNDS must be positive", NULL);
    openblas_set_num_threads(1);

    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!library) die("dlopen failed", dlerror());
    assay_plugin_entry_fn entry;
    *(void **)&entry = dlsym(library, ASSAY_PLUGIN_ENTRY_SYMBOL);
    if (!entry) die("no assay_plugin_entry", dlerror());
    const assay_library *table = entry();
    if (table->abi_major != ASSAY_ABI_MAJOR) die("ABI major version differs", NULL);
    const assay_plugin *plugin = NULL;
    for (uint32_t i = 0; i < table->plugin_count; i++) {
        if (table->plugins[i]->kind == ASSAY_KIND_VERIFIER && strcmp(table->plugins[i]->id, "margin") == 0) {
            plugin = table->plugins[i];
        }
    }
    if (!plugin) die("the library has no verifier \"margin\"", NULL);

    /* Data: x ~ N(0, I/d)-ish, labels ±1, weights w; fixed seed. */
    uint64_t seed = 12345;
    assay_random rng = {sizeof(assay_random), 0, &seed, rng_uniform, rng_normal, rng_bits};
    double *x = malloc(sizeof(double) * (size_t)rows * (size_t)cols);
    double *y = malloc(sizeof(double) * (size_t)rows);
    double *w = malloc(sizeof(double) * (size_t)cols);
    double *margin = malloc(sizeof(double) * (size_t)rows);
    uint8_t *keep_abi = malloc((size_t)rows), *keep_direct = malloc((size_t)rows);
    if (!x || !y || !w || !margin || !keep_abi || !keep_direct) die("out of memory", NULL);
    rng_normal(&rng, x, (uint64_t)rows * (uint64_t)cols);
    rng_normal(&rng, w, (uint64_t)cols);
    for (int i = 0; i < rows; i++) y[i] = uniform01(&seed) < 0.5 ? -1.0 : 1.0;

    /* Instance: {"w": [...]} */
    size_t capacity = 32 + (size_t)cols * 32;
    char *config = malloc(capacity), *at = config;
    at += sprintf(at, "{\"w\": [");
    for (int j = 0; j < cols; j++) at += sprintf(at, "%s%.17g", j ? ", " : "", w[j]);
    sprintf(at, "]}");
    assay_host host = {sizeof(assay_host), ASSAY_ABI_MINOR, NULL, host_log, NULL, NULL, NULL, NULL, NULL};
    assay_error error;
    memset(&error, 0, sizeof error);
    void *instance = NULL;
    if (plugin->create(plugin, config, &host, &instance, &error) != ASSAY_OK) die("create failed", error.message);
    assay_task task = {sizeof(assay_task), 0, (uint64_t)cols, 1, "gaussian-mixture"};
    const assay_verifier *verifier = plugin->verifier;
    if (verifier->prepare(instance, &task, &rng, &error) != ASSAY_OK) die("prepare failed", error.message);
    assay_selection selection;
    if (verifier->selection(instance, &selection, &error) != ASSAY_OK || selection.mode != ASSAY_SELECT_RULE) {
        die("expected a RULE verifier", NULL);
    }

    /* Two batch sizes: the full batch, and one row for the fixed cost. */
    const int sizes[2] = {rows, 1};
    double abi_us[2], direct_us[2];
    int mismatches = 0;
    for (int k = 0; k < 2; k++) {
        const int n = sizes[k];
        assay_batch batch = {sizeof(assay_batch), 0, (uint64_t)n, 0, x, (uint64_t)cols, y, 1, NULL};
        /* Enough calls per round for ~20 ms. */
        int calls = 1;
        double t0 = now();
        while (now() - t0 < 0.02) {
            for (int c = 0; c < calls; c++) {
                if (verifier->verify(instance, &batch, &rng, keep_abi, NULL, &error) != ASSAY_OK) {
                    die("verify failed", error.message);
                }
            }
            calls *= 2;
        }
        double *abi = malloc(sizeof(double) * (size_t)rounds), *direct = malloc(sizeof(double) * (size_t)rounds);
        for (int r = 0; r < rounds; r++) {
            double start = now();
            for (int c = 0; c < calls; c++) verifier->verify(instance, &batch, &rng, keep_abi, NULL, &error);
            abi[r] = (now() - start) / calls;
            start = now();
            for (int c = 0; c < calls; c++) direct_verify(x, y, w, margin, keep_direct, n, cols);
            direct[r] = (now() - start) / calls;
        }
        mismatches += memcmp(keep_abi, keep_direct, (size_t)n) != 0;
        abi_us[k] = 1e6 * median(abi, rounds);
        direct_us[k] = 1e6 * median(direct, rounds);
        free(abi);
        free(direct);
    }
    plugin->destroy(instance);

    const double overhead = abi_us[0] - direct_us[0];
    printf("{\n");
    printf("  \"library\": \"%s\",\n", argv[1]);
    printf("  \"rows\": %d,\n  \"cols\": %d,\n  \"rounds\": %d,\n", rows, cols, rounds);
    printf("  \"abi_verify_us\": %.3f,\n", abi_us[0]);
    printf("  \"direct_verify_us\": %.3f,\n", direct_us[0]);
    printf("  \"overhead_us\": %.3f,\n", overhead);
    printf("  \"overhead_percent_of_verify\": %.2f,\n", 100.0 * overhead / abi_us[0]);
    printf("  \"abi_call_1row_us\": %.3f,\n", abi_us[1]);
    printf("  \"direct_1row_us\": %.3f,\n", direct_us[1]);
    printf("  \"fixed_call_overhead_us\": %.3f,\n", abi_us[1] - direct_us[1]);
    printf("  \"fixed_percent_of_verify\": %.2f,\n", 100.0 * (abi_us[1] - direct_us[1]) / abi_us[0]);
    printf("  \"keep_bits_match\": %s\n", mismatches ? "false" : "true");
    printf("}\n");
    return mismatches ? 2 : 0;
}
