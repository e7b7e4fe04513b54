/*
 * assay.h -- Assay's host as a library: the embedding API, version 1.0.
 *
 * assay_plugin.h is the contract *plugins* implement; this header is the
 * other way round: it lets a C program (or Python through ctypes, or
 * anything with a C FFI) use Assay itself. Link against libAssay.so, which
 * `swift build` puts in .build/debug (or .build/release):
 *
 *     cc -std=c99 -I Sources/PluginAPI/include my_tool.c \
 *        -L .build/debug -lAssay -Wl,-rpath,$PWD/.build/debug -o my_tool
 *
 * What it offers:
 *
 *   - assay_score(): p, phi, psi, p* and their 95 % intervals of given
 *     arrays of similarities s and keep bits q -- the very code behind
 *     `assay run` and `assay score`, not a second implementation;
 *   - sessions (assay_session_*): a set of loaded plugins, and runs of
 *     generate -> verify -> retrain from a TOML config, whose result is the
 *     JSON document `assay run --json` prints.
 *
 * This header is plain C99 and needs only <stdint.h> and <stddef.h>.
 *
 * ------------------------------------------------------------------------
 * Versioning
 *
 *   ASSAY_HOST_ABI_MAJOR changes when a call or field changes meaning;
 *   ASSAY_HOST_ABI_MINOR grows when calls are added or fields appended.
 *   assay_host_abi_version() tells the version of the library actually
 *   loaded: a program checks that its major equals ASSAY_HOST_ABI_MAJOR.
 *   (This is independent of the plugin ABI, ASSAY_ABI_MAJOR/MINOR.)
 *
 *   The one struct the library fills, assay_scores, carries struct_size as
 *   its first field, as the structs of assay_plugin.h do. The caller sets
 *   it to sizeof(assay_scores) as it was compiled (ASSAY_SCORES_INIT does
 *   that); the library writes only fields that fit in it and sets it to the
 *   bytes it wrote. ASSAY_HOST_HAS_FIELD() then tells whether a field
 *   appended in a later minor version was filled.
 *
 * Memory
 *
 *   Strings the library returns come in two kinds, each documented:
 *   - owned by a session (plugin ids, versions, files): valid until that
 *     session is freed; do not free them;
 *   - handed to the caller (a run's JSON document): allocated with malloc;
 *     release them with assay_string_free().
 *   Input buffers and strings are only read during the call.
 *
 * Errors
 *
 *   Every call that can fail returns an assay_host_status and fills an
 *   assay_host_error with one NUL-terminated line saying what was wrong
 *   and what was expected ("s[3] = 1.5: expected a similarity in [0, 1]").
 *   The error pointer may be NULL when the caller does not want the text.
 *   Bad input -- NULL pointers included -- is reported, never crashed on:
 *   no call aborts or exits the process because of what it was given.
 *   Plugins are another matter: they run in this process, and the library
 *   can only be as robust as the plugins it loads.
 *
 * Threads
 *
 *   Sessions are independent: two sessions may be used at the same time
 *   from different threads. One session serves one thread at a time. A
 *   call that finds its session in use (by another thread, or from inside
 *   its own progress callback) does not wait: it fails with
 *   ASSAY_HOST_ERROR_BUSY, and the plugin accessors return 0 or NULL.
 *   (assay_session_free cannot check: never free a session in use.)
 *   assay_score() and assay_host_abi_version() need no session and may be
 *   called from any thread at any time. A run uses several threads of its
 *   own; its progress callback is called on the thread that called
 *   assay_session_run().
 * ------------------------------------------------------------------------
 */
#ifndef ASSAY_H
#define ASSAY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

#define ASSAY_HOST_ABI_MAJOR 1
#define ASSAY_HOST_ABI_MINOR 0

/* The version of the loaded library, packed as (major << 16) | minor. */
uint32_t assay_host_abi_version(void);
#define ASSAY_HOST_ABI_VERSION_MAJOR(version) ((uint32_t)(version) >> 16)
#define ASSAY_HOST_ABI_VERSION_MINOR(version) ((uint32_t)(version) & 0xFFFFu)

/* True when the library filled `field` of the struct `ptr` points to: the
 * field lies within the struct_size the library set. */
#define ASSAY_HOST_HAS_FIELD(ptr, type, field)                                \
    ((ptr)->struct_size >=                                                    \
     offsetof(type, field) + sizeof(((const type *)0)->field))

/* ---- Status and errors --------------------------------------------------- */

typedef int32_t assay_host_status;
enum {
    ASSAY_HOST_OK = 0,
    ASSAY_HOST_ERROR_ARGUMENT = 1, /* NULL pointer, value out of range, bad index  */
    ASSAY_HOST_ERROR_CONFIG = 2,   /* the run config is not valid TOML or has a
                                      missing, unknown or out-of-range key         */
    ASSAY_HOST_ERROR_PLUGIN = 3,   /* a plugin file or folder cannot be used       */
    ASSAY_HOST_ERROR_STORE = 4,    /* the results database cannot be opened        */
    ASSAY_HOST_ERROR_RUN = 5,      /* the run failed: a plugin reported an error,
                                      a plugin is missing, a numerical failure...  */
    ASSAY_HOST_ERROR_BUSY = 6      /* the session is in use (see Threads)          */
};

#define ASSAY_HOST_ERROR_CAPACITY 512

/* Filled when a call returns anything but ASSAY_HOST_OK (left alone on
 * success). `message` is one line, NUL-terminated, truncated to fit. */
typedef struct assay_host_error {
    char message[ASSAY_HOST_ERROR_CAPACITY];
} assay_host_error;

/* Releases a string the library handed to the caller (a run's JSON).
 * NULL is ignored. */
void assay_string_free(char *string);

/* ---- Scoring arrays ------------------------------------------------------- */

typedef struct assay_interval {
    double lower;
    double upper;
} assay_interval;

/* How a selection q scores on pairs of similarity s (the paper's
 * Appendix C), with n pairs:
 *
 *   p   = 1 - mean(s)                 the generator's error on the pairs
 *   phi = sum(q*s) / sum(s)           keep-rate of good (correct) mass
 *   psi = sum(q*(1-s)) / sum(1-s)     keep-rate of bad (wrong) mass
 *   p*  = 1 / (1 + psi/phi)           the breakdown point, phi / (phi + psi)
 *
 * Intervals: Wilson 95 % for phi and psi (the good or bad mass taken as the
 * number of trials: exact for binary s); for p*, the image of the box of
 * two 97.5 % Wilson intervals (at least 95 % joint coverage).
 *
 * A value that is undefined has its has_ flag 0 and is NaN (with a NaN
 * interval): phi when sum(s) = 0, psi when sum(1-s) = 0, p* when either is
 * undefined or when nothing good or bad is kept (phi = psi = 0). The p*
 * interval needs only phi and psi to be defined, so it can exist when p*
 * does not. */
typedef struct assay_scores {
    uint32_t struct_size;   /* caller: sizeof(assay_scores); library: bytes
                               it filled (see Versioning)                   */
    uint32_t reserved;      /* zero                                          */
    uint64_t pairs;         /* n                                             */
    uint64_t kept;          /* sum(q)                                        */
    double p;
    double phi;
    assay_interval phi_interval;
    double psi;
    assay_interval psi_interval;
    double p_star;
    assay_interval p_star_interval;
    int32_t has_phi;        /* 1 when phi and its interval are defined       */
    int32_t has_psi;        /* 1 when psi and its interval are defined       */
    int32_t has_p_star;     /* 1 when p_star is defined                      */
    int32_t has_p_star_interval; /* 1 when p_star_interval is defined       */
} assay_scores;

/* An assay_scores ready to pass: `assay_scores out = ASSAY_SCORES_INIT;` */
#define ASSAY_SCORES_INIT {sizeof(assay_scores), 0, 0, 0, 0.0, 0.0, {0.0, 0.0}, \
                           0.0, {0.0, 0.0}, 0.0, {0.0, 0.0}, 0, 0, 0, 0}

/* Scores the selection q of n pairs with similarities s into *out.
 * s: n values in [0, 1] (1 = the synthesized label is right); q: n keep
 * bits, each 0 or 1. n must be at least 1. The first value out of range
 * (NaN included) is reported by index: "s[3] = nan: expected ...".
 * Errors: ASSAY_HOST_ERROR_ARGUMENT. */
assay_host_status assay_score(const double *s, const uint8_t *q, size_t n,
                              assay_scores *out, assay_host_error *error);

/* ---- Sessions ------------------------------------------------------------ */

/* A set of loaded plugins and the runs made with them. */
typedef struct assay_session assay_session;

/* A new session that has already looked for plugins where `assay` does:
 * every shared library in the folders of ASSAY_PLUGIN_PATH
 * (colon-separated), then the files named libassay_*.so in the folder
 * libAssay.so itself was loaded from -- where SwiftPM puts the plugin
 * products it builds. Files that cannot be used there are recorded (see
 * assay_session_unusable) and do not make creation fail. Returns NULL, with
 * the error filled, only when the session cannot be made. */
assay_session *assay_session_create(assay_host_error *error);

/* Releases the session and every string it owns. NULL is ignored. Plugin
 * libraries stay loaded until the process ends (their tables are static
 * data, and other sessions may use them). */
void assay_session_free(assay_session *session);

/* Loads one plugin library by path and adds its plugins. When two
 * libraries carry the same plugin id, the first one loaded wins.
 * Errors: ARGUMENT (NULL), PLUGIN (no such file, not a shared library, no
 * assay_plugin_entry, another plugin ABI major version, a malformed
 * table), BUSY. */
assay_host_status assay_session_load_plugin(assay_session *session,
                                            const char *path,
                                            assay_host_error *error);

/* Loads every shared library (*.so) in `folder`, as for a folder of
 * ASSAY_PLUGIN_PATH. Files that cannot be used are recorded as unusable
 * and do not fail the call. Errors: ARGUMENT, PLUGIN (the folder cannot be
 * read), BUSY. */
assay_host_status assay_session_add_plugin_folder(assay_session *session,
                                                  const char *folder,
                                                  assay_host_error *error);

/* The plugins loaded so far, in the order they were found; index runs
 * from 0 to count - 1. Each accessor returns NULL for a NULL session, an
 * index out of range or a busy session. Strings belong to the session.
 *   id       the plugin's id, as run configs name it ("oracle")
 *   kind     "generator" or "verifier"
 *   version  the plugin's own version ("1.0.0")
 *   file     the library file it came from */
size_t assay_session_plugin_count(const assay_session *session);
const char *assay_session_plugin_id(const assay_session *session, size_t index);
const char *assay_session_plugin_kind(const assay_session *session, size_t index);
const char *assay_session_plugin_version(const assay_session *session, size_t index);
const char *assay_session_plugin_file(const assay_session *session, size_t index);

/* Files that looked like plugins but could not be used, each as one line
 * "FILE: REASON", in the order they were met. Strings belong to the
 * session; NULL for an index out of range. */
size_t assay_session_unusable_count(const assay_session *session);
const char *assay_session_unusable(const assay_session *session, size_t index);

/* ---- Runs ----------------------------------------------------------------- */

/* Told how a run advances, on the thread that called assay_session_run.
 * `stage` is, in order: "start" (0 of 1); "rank 1", "rank 2" (chunks of
 * the pool scanned to fix the cut of verifiers that keep a top fraction;
 * only when there are such verifiers); "pool" (chunks of the pool
 * verified and tallied); "retrain" (models fitted; absent with
 * ASSAY_RUN_NO_RETRAIN); "done" (1 of 1, only on success). Within a stage
 * `done` counts up to `total`, possibly by more than one at a time.
 * `user` is the pointer given to assay_session_run. The callback must not
 * call into the same session (it would get ASSAY_HOST_ERROR_BUSY). */
typedef void (*assay_progress_fn)(const char *stage, uint64_t done,
                                  uint64_t total, void *user);

/* Flags of assay_session_run. */
#define ASSAY_RUN_DEFAULT 0u
/* Score every verifier on the pool and stop: no retraining, every curve
 * empty. What `assay score` does. */
#define ASSAY_RUN_NO_RETRAIN 1u

/* Runs generate -> verify -> retrain for the TOML run config `config`
 * (the text of a file such as configs/default.toml, not its path; errors
 * call it "<config>", and a relative `library = "..."` in it is resolved
 * against the current folder). Plugins come from this session, plus any
 * `library` file the config names.
 *
 * On success *result_json is the JSON document `assay run --json` prints
 * (`assay score --json` with ASSAY_RUN_NO_RETRAIN), allocated for the
 * caller: free it with assay_string_free(). On failure *result_json is
 * NULL.
 *
 * `db`: a results database (SQLite) to store the run in, created if
 * missing, as `assay run --db` does; its `run_id` is then in the document.
 * NULL stores nothing: the document then has no `run_id`, its only
 * difference from what `assay run --json` prints. A run that fails after
 * it was stored is marked failed there with what it measured so far.
 *
 * `progress` (may be NULL) is called as the run advances, with `user`.
 *
 * Errors: ARGUMENT (NULL config or result_json, unknown flags), CONFIG,
 * STORE, RUN, BUSY. */
assay_host_status assay_session_run(assay_session *session, const char *config,
                                    const char *db, uint32_t flags,
                                    assay_progress_fn progress, void *user,
                                    char **result_json, assay_host_error *error);

#ifdef __cplusplus
}
#endif

#endif /* ASSAY_H */
