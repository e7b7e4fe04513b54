/*
 * assay_plugin.h -- the Assay plugin ABI, version 1.1.
 *
 * Assay scores *verifiers*: rules that keep or drop synthesized training
 * pairs (x, y') labelled by a *generator*. Both are plugins: shared
 * libraries that export one function, assay_plugin_entry(), returning a
 * table that describes the plugins the library carries. The host loads the
 * library, checks the ABI version, creates instances from JSON configs and
 * drives them through batched calls.
 *
 * This header is the whole contract. It is plain C99, has no dependency but
 * <stdint.h> and <stddef.h>, and a plugin needs nothing else to be built:
 *
 *     cc -std=c99 -shared -fPIC -I path/to/include my_verifier.c -o libmy.so
 *
 * docs/ABI.md walks through the contract in prose with a complete plugin.
 *
 * ------------------------------------------------------------------------
 * Versioning
 *
 *   ASSAY_ABI_MAJOR changes when an existing field or call changes meaning.
 *   The host refuses a library whose major version differs from its own.
 *
 *   ASSAY_ABI_MINOR grows when fields are appended to the end of a struct.
 *   Fields are never removed, reordered or reinterpreted within a major
 *   version. Every struct that can grow carries `struct_size` (first, but
 *   in assay_library third, after the two version fields every host must
 *   find at fixed offsets), set by whoever fills the struct to
 *   sizeof(the struct) as *it* was compiled. A reader must not touch a
 *   field that lies beyond struct_size; use ASSAY_HAS_FIELD() below. This
 *   lets a plugin built against 1.0 run in a 1.3 host and the other way
 *   round. Structs without struct_size (assay_error, assay_param,
 *   assay_selection) are fixed for the whole major version. Fields named
 *   `reserved` are zero.
 *
 * Memory
 *
 *   Every buffer crossing the ABI is owned by the side that allocated it
 *   and is valid only for the duration of the call it is passed to, unless
 *   noted. Strings in plugin descriptors are static and live as long as the
 *   library stays loaded. The host allocates every output buffer; plugins
 *   only fill them. Nothing is ever freed across the boundary.
 *
 * Errors
 *
 *   Every call that can fail returns an assay_status and receives an
 *   assay_error to fill with a one-line, NUL-terminated message saying what
 *   was wrong and what was expected ("p_noise: expected a number in
 *   [0, 1], got 1.5"). A plugin must never abort, exit or raise a signal on
 *   bad input: it reports the problem and returns.
 *
 * Threads
 *
 *   Instances are independent: the host may use two instances of the same
 *   plugin at once from different threads.
 *
 *   On one instance:
 *   - create, prepare, selection and destroy never run concurrently with
 *     any other call on that instance;
 *   - the batch calls -- verifier.verify and generator.draw, label,
 *     similarity and log_likelihood -- may run concurrently from several
 *     threads, each with its own batch, output buffers and random stream.
 *     After prepare, an instance must treat its state as read-only in
 *     those calls, or guard it;
 *   - generator.fit and generator.forget may run concurrently with each
 *     other and with the batch calls on *other* model names; the host
 *     never uses a model while it is being fitted or forgotten. The plugin
 *     must guard its table of models.
 *   Host services may be called from any thread, during any call the host
 *   makes into the instance; ground_truth and similarity only from inside
 *   the verify call whose batch they are given.
 *
 * Batches
 *
 *   A batch has at least one row. The host may show a verifier the same
 *   rows more than once, with the same random stream (a top-fraction
 *   verifier scores the pool once to find its cut, then again while the
 *   pool is tallied): verify must give the same answer for the same batch
 *   and stream.
 *
 * Randomness
 *
 *   Plugins must not use their own unseeded randomness. Every call that may
 *   need random numbers receives an assay_random stream derived by the host
 *   from the run's seed, the instance and the position of the batch in the
 *   pool. A run is therefore reproducible from its seed whatever the number
 *   of threads and whatever order batches happen to be processed in.
 * ------------------------------------------------------------------------
 */
#ifndef ASSAY_PLUGIN_H
#define ASSAY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

#define ASSAY_ABI_MAJOR 1
#define ASSAY_ABI_MINOR 1

/* True when `field` of the struct `ptr` points to lies within the size its
 * writer declared, i.e. the writer was built with a header that had it. */
#define ASSAY_HAS_FIELD(ptr, type, field)                                     \
    ((ptr)->struct_size >=                                                    \
     offsetof(type, field) + sizeof(((const type *)0)->field))

#if defined(_WIN32)
#define ASSAY_EXPORT __declspec(dllexport)
#else
#define ASSAY_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Status and errors --------------------------------------------------- */

typedef int32_t assay_status;
enum {
    ASSAY_OK = 0,
    ASSAY_ERROR_CONFIG = 1,      /* the JSON config is malformed or out of range */
    ASSAY_ERROR_ARGUMENT = 2,    /* a call received data it cannot handle        */
    ASSAY_ERROR_UNSUPPORTED = 3, /* the plugin does not offer what was asked     */
    ASSAY_ERROR_NOT_FOUND = 4,   /* a named model or vector does not exist       */
    ASSAY_ERROR_FAILED = 5       /* anything else: numerical failure, I/O, ...   */
};

#define ASSAY_ERROR_CAPACITY 512

/* Filled by the callee when it returns a status other than ASSAY_OK.
 * `message` is one line, NUL-terminated, truncated to fit. */
typedef struct assay_error {
    char message[ASSAY_ERROR_CAPACITY];
} assay_error;

/* ---- Data ---------------------------------------------------------------- */

/* A batch of samples. Matrices are contiguous, row-major float64:
 * element (i, j) of x is x[i * x_cols + j].
 *
 * Later minor versions append more columns (text, for instance) after
 * `host_context`; check ASSAY_HAS_FIELD before reading them. */
typedef struct assay_batch {
    uint32_t struct_size;
    uint32_t reserved;      /* zero */
    uint64_t rows;          /* number of samples in the batch              */
    uint64_t first_row;     /* index of the batch's first sample in the
                               pool, for messages and logs                 */
    const double *x;        /* inputs, rows * x_cols                       */
    uint64_t x_cols;
    const double *y;        /* labels, rows * y_cols; the synthesized y'
                               when verifying; NULL when the call is the
                               one producing labels                        */
    uint64_t y_cols;
    void *host_context;     /* opaque to plugins; pass the batch back to
                               host services unchanged                     */
} assay_batch;

/* A stream of random numbers, owned by the host and valid for one call.
 * Draws are sequential: the stream is not shared with other threads. The
 * host may hand one stream to several calls in turn (the blocks of a pool
 * chunk, see assay_batch), each continuing where the last one stopped. */
typedef struct assay_random assay_random;
struct assay_random {
    uint32_t struct_size;
    uint32_t reserved;
    void *state;                                                   /* host's */
    void (*uniform)(assay_random *rng, double *out, uint64_t count); /* (0, 1) */
    void (*normal)(assay_random *rng, double *out, uint64_t count);  /* N(0, 1) */
    void (*bits)(assay_random *rng, uint64_t *out, uint64_t count);  /* 64 bits */
};

/* ---- Plugin descriptions -------------------------------------------------- */

typedef uint32_t assay_plugin_kind;
enum {
    ASSAY_KIND_GENERATOR = 1, /* labels inputs, evaluates and retrains models */
    ASSAY_KIND_VERIFIER = 2   /* keeps or drops synthesized pairs             */
};

/* What a plugin asks of the host. Services it did not ask for are NULL in
 * its assay_host table. */
typedef uint64_t assay_needs;
#define ASSAY_NEEDS_TRUTH          ((assay_needs)1 << 0) /* oracle-type   */
#define ASSAY_NEEDS_LOG_LIKELIHOOD ((assay_needs)1 << 1) /* perplexity-type */

/* One configuration parameter, for `assay plugins --verbose` and docs.
 * `type` is one of "number", "integer", "string", "boolean", "number[]",
 * "table". `default_json` is the default as JSON text, or NULL when the
 * parameter is required or has no single default. */
typedef struct assay_param {
    const char *name;
    const char *type;
    const char *default_json;
    const char *description;
} assay_param;

/* ---- Host services ------------------------------------------------------- */

typedef int32_t assay_log_level;
enum {
    ASSAY_LOG_DEBUG = 0,
    ASSAY_LOG_INFO = 1,
    ASSAY_LOG_WARNING = 2,
    ASSAY_LOG_ERROR = 3
};

/* Given to create() and valid until destroy(). */
typedef struct assay_host assay_host;
struct assay_host {
    uint32_t struct_size;
    uint32_t abi_minor;     /* the host's ASSAY_ABI_MINOR */
    void *host_data;        /* the host's; do not touch   */

    /* Always present. Thread-safe. `message` is one line. */
    void (*log)(const assay_host *host, assay_log_level level,
                const char *message);

    /* ---- ASSAY_NEEDS_TRUTH only (NULL otherwise) ---- */

    /* The true labels of the batch passed to the current verify call:
     * rows * y_cols values. */
    assay_status (*ground_truth)(const assay_host *host,
                                 const assay_batch *batch, double *y_true,
                                 assay_error *error);

    /* The task's similarity s in [0, 1] between each synthesized label y'
     * of the batch and its truth: one value per row (s = 1 means y' = y). */
    assay_status (*similarity)(const assay_host *host,
                               const assay_batch *batch, double *s,
                               assay_error *error);

    /* `count` fresh clean samples of the task: x (count * x_cols) and
     * their true labels y (count * y_cols), drawn from `rng`. */
    assay_status (*draw_clean)(const assay_host *host, assay_random *rng,
                               uint64_t count, double *x, double *y,
                               assay_error *error);

    /* A vector the task publishes as ground truth, by name ("direction"
     * is the Bayes-optimal direction of a linear task). `count` values. */
    assay_status (*task_vector)(const assay_host *host, const char *name,
                                double *out, uint64_t count,
                                assay_error *error);

    /* ---- ASSAY_NEEDS_LOG_LIKELIHOOD only (NULL otherwise) ---- */

    /* log P(y' | x) for each row of the batch under the generator's model
     * called `model`. "generator" is always the model that synthesized
     * the batch being judged: in iterated rounds, the retrained model of
     * the previous round, not the first generator. */
    assay_status (*log_likelihood)(const assay_host *host, const char *model,
                                   const assay_batch *batch, double *out,
                                   assay_error *error);

    /* ---- Since ABI 1.1: check ASSAY_HAS_FIELD(host, assay_host, threads) ---- */

    /* How many threads one call may keep busy (the run's `threads`, e.g.
     * `assay run --threads 1`). A plugin that parallelises inside a call
     * (a fit, say) should use at most this many; 0 means no limit was
     * given. The host may still make calls from several threads at once. */
    uint32_t threads;
    uint32_t reserved1;     /* zero */
};

/* ---- Task shape ---------------------------------------------------------- */

/* What a verifier learns about the task when it is prepared. */
typedef struct assay_task {
    uint32_t struct_size;
    uint32_t reserved;
    uint64_t x_cols;           /* columns of x                 */
    uint64_t y_cols;           /* columns of y                 */
    const char *generator_id;  /* e.g. "gaussian-mixture"      */
} assay_task;

/* ---- Verifiers ----------------------------------------------------------- */

typedef int32_t assay_selection_mode;
enum {
    /* verify() writes keep[i] in {0, 1} for each row by a per-sample rule. */
    ASSAY_SELECT_RULE = 1,
    /* verify() writes a finite score per row, higher meaning better; the
     * host keeps exactly round(fraction * N) of the N pairs of the pool,
     * those with the highest scores, breaking ties at the cut-off at
     * random. */
    ASSAY_SELECT_TOP_FRACTION = 2
};

typedef struct assay_selection {
    assay_selection_mode mode;
    uint32_t reserved;
    double fraction;           /* in (0, 1]; ignored in RULE mode */
} assay_selection;

typedef struct assay_verifier {
    uint32_t struct_size;
    uint32_t reserved;

    /* Called once after create, before any verify. A verifier that learns
     * (from clean data via host->draw_clean, say) does it here. */
    assay_status (*prepare)(void *instance, const assay_task *task,
                            assay_random *rng, assay_error *error);

    /* How this instance selects; constant after prepare. */
    assay_status (*selection)(void *instance, assay_selection *out,
                              assay_error *error);

    /* Judges every row of the batch. In RULE mode fills keep[rows] with 0
     * or 1 and `score` is NULL; in TOP_FRACTION mode fills score[rows] with
     * finite values and `keep` is NULL. */
    assay_status (*verify)(void *instance, const assay_batch *batch,
                           assay_random *rng, uint8_t *keep, double *score,
                           assay_error *error);
} assay_verifier;

/* ---- Generators ---------------------------------------------------------- */

typedef int32_t assay_label_mode;
enum {
    /* Label as the generator synthesizes (argmax or sampling, per config). */
    ASSAY_LABEL_SYNTHESIZE = 1,
    /* The model's single most likely label, used to evaluate it. */
    ASSAY_LABEL_PREDICT = 2
};

/* A generator owns the task: it draws clean samples, labels inputs with
 * named models, measures similarity and trains fresh models on the pairs
 * the host selected. Model names the host relies on:
 *   "generator"  the model that synthesizes the pool (trained in prepare);
 *   "bayes"      the Bayes-optimal predictor, if the task knows it.
 * Other names are reference models from the config, or models created by
 * fit(). */
typedef struct assay_generator {
    uint32_t struct_size;
    uint32_t reserved;

    /* Trains the generator's own models from clean data drawn from `rng`.
     * Called once after create, before anything else. Fills the shape. */
    assay_status (*prepare)(void *instance, assay_random *rng,
                            uint64_t *x_cols, uint64_t *y_cols,
                            assay_error *error);

    /* Draws `count` clean samples: x (count * x_cols), y (count * y_cols).
     * The host may draw a chunk of the pool in several calls on one stream,
     * each continuing where the last one stopped. */
    assay_status (*draw)(void *instance, assay_random *rng, uint64_t count,
                         double *x, double *y, assay_error *error);

    /* Labels the inputs batch->x with `model` into y_out (rows * y_cols). */
    assay_status (*label)(void *instance, const char *model,
                          assay_label_mode mode, const assay_batch *batch,
                          assay_random *rng, double *y_out,
                          assay_error *error);

    /* Similarity s in [0, 1] of each label batch->y to y_true (same shape):
     * one value per row. */
    assay_status (*similarity)(void *instance, const assay_batch *batch,
                               const double *y_true, double *s_out,
                               assay_error *error);

    /* log P(batch->y | batch->x) under `model`, one value per row. */
    assay_status (*log_likelihood)(void *instance, const char *model,
                                   const assay_batch *batch, double *out,
                                   assay_error *error);

    /* Trains a fresh model named `model` on the pairs (batch->x, batch->y),
     * replacing any model of that name. */
    assay_status (*fit)(void *instance, const char *model,
                        const assay_batch *batch, assay_error *error);

    /* Drops a model made by fit(). Unknown names are not an error. */
    void (*forget)(void *instance, const char *model);

    /* Copies the task vector `name` (see assay_host.task_vector). */
    assay_status (*task_vector)(void *instance, const char *name,
                                double *out, uint64_t count,
                                assay_error *error);
} assay_generator;

/* ---- Plugins and libraries ------------------------------------------------ */

typedef struct assay_plugin assay_plugin;
struct assay_plugin {
    uint32_t struct_size;
    assay_plugin_kind kind;
    const char *id;            /* stable, lower-case, e.g. "oracle"       */
    const char *version;       /* the plugin's own, e.g. "1.2.0"          */
    const char *description;   /* one line                                */
    assay_needs needs;         /* verifiers only; generators get log only */
    const assay_param *params; /* param_count entries                     */
    uint64_t param_count;

    /* Makes an instance from a JSON object (never NULL; "{}" for none).
     * Unknown keys and out-of-range values are errors. `plugin` is the
     * very pointer the library listed, so one create can serve several
     * plugins. The host table stays valid until destroy. When create
     * fails, the host ignores *instance and never calls destroy. */
    assay_status (*create)(const assay_plugin *plugin, const char *config_json,
                           const assay_host *host, void **instance,
                           assay_error *error);
    void (*destroy)(void *instance);

    const assay_generator *generator; /* when kind is GENERATOR, else NULL */
    const assay_verifier *verifier;   /* when kind is VERIFIER, else NULL  */
};

/* What assay_plugin_entry returns. The first three fields keep their
 * place in every ABI version, so that any host can read them. */
typedef struct assay_library {
    uint32_t abi_major;        /* ASSAY_ABI_MAJOR the library was built with */
    uint32_t abi_minor;        /* ASSAY_ABI_MINOR the library was built with */
    uint32_t struct_size;      /* sizeof(assay_library) as built             */
    uint32_t plugin_count;
    const assay_plugin *const *plugins; /* plugin_count entries              */
} assay_library;

/* The one symbol a plugin library exports. Returns a pointer to a static,
 * constant table; may be called more than once and must not fail. */
#define ASSAY_PLUGIN_ENTRY_SYMBOL "assay_plugin_entry"
typedef const assay_library *(*assay_plugin_entry_fn)(void);
ASSAY_EXPORT const assay_library *assay_plugin_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* ASSAY_PLUGIN_H */
