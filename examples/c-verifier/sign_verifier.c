/*
 * sign_verifier.c -- an Assay verifier plugin written in plain C99.
 *
 * Plugin "c-sign" keeps a synthesized pair (x, y') when
 *
 *     y' * x[coordinate] > margin
 *
 * i.e. when the label agrees in sign with one chosen input coordinate, by
 * more than a margin. With labels in {-1, +1} this is the linear pruner of
 * the paper with its weight vector set to a unit axis.
 *
 * Config (JSON object, both keys optional, in any order):
 *     coordinate  integer >= 0, default 0    which column of x to read
 *     margin      number,       default 0.0  how far past zero to require
 *
 * It needs nothing but assay_plugin.h; see the Makefile and README.md.
 */
#include "assay_plugin.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLUGIN_ID "c-sign"

/* Config values are integers only up to 2^53, where doubles stay exact. */
#define MAX_EXACT_INTEGER 9007199254740992.0

typedef struct sign_verifier {
    uint64_t coordinate;
    double margin;
    const assay_host *host;
} sign_verifier;

/* ---- Errors --------------------------------------------------------------- */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Writes a one-line message into `error` (if any) and returns `status`. */
static assay_status fail(assay_error *error, assay_status status,
                         const char *format, ...) PRINTF_LIKE(3, 4);
static assay_status fail(assay_error *error, assay_status status,
                         const char *format, ...)
{
    if (error != NULL) {
        va_list args;
        size_t i;
        va_start(args, format);
        vsnprintf(error->message, sizeof error->message, format, args);
        va_end(args);
        for (i = 0; error->message[i] != '\0'; i++) {
            if (error->message[i] == '\n' || error->message[i] == '\r')
                error->message[i] = ' ';
        }
    }
    return status;
}

/* ---- A small JSON reader for the config ----------------------------------- *
 *
 * The config is one flat JSON object whose values are numbers. The reader
 * walks the text once, never reads past its terminating NUL, and turns
 * anything it does not expect into a message rather than a crash.
 */

typedef struct reader {
    const char *at;
    assay_error *error;
} reader;

static void skip_space(reader *r)
{
    while (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r')
        r->at++;
}

/* A printable, bounded copy of `length` bytes of `text`, for messages. */
static void excerpt(const char *text, size_t length, char *out, size_t capacity)
{
    size_t i, n = 0;
    for (i = 0; i < length && text[i] != '\0' && n + 4 < capacity; i++) {
        unsigned char c = (unsigned char)text[i];
        out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (i < length && text[i] != '\0') {
        out[n++] = '.';
        out[n++] = '.';
        out[n++] = '.';
    }
    out[n] = '\0';
}

/* The text at `at` for "got ..." in messages: a quoted excerpt, or "the
 * end of the config". `out` needs room for 24 characters. */
static const char *near(const char *at, char *out, size_t capacity)
{
    size_t n;
    if (*at == '\0')
        return "the end of the config";
    out[0] = '"';
    excerpt(at, 16, out + 1, capacity - 2);
    n = strlen(out);
    out[n] = '"';
    out[n + 1] = '\0';
    return out;
}

/* Reads a JSON string into `out` (truncated to `capacity`, always
 * NUL-terminated). Escapes are checked; a \u escape becomes its character
 * when that is printable ASCII, '?' otherwise (no key needs more). */
static int read_string(reader *r, char *out, size_t capacity)
{
    size_t n = 0;
    if (*r->at != '"')
        return 0;
    r->at++;
    for (;;) {
        char c = *r->at;
        if (c == '\0' || (unsigned char)c < 0x20)
            return 0;
        r->at++;
        if (c == '"')
            break;
        if (c == '\\') {
            char e = *r->at;
            if (e == '\0')
                return 0;
            r->at++;
            switch (e) {
            case '"': case '\\': case '/': c = e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                unsigned code = 0;
                int k;
                for (k = 0; k < 4; k++) {
                    char h = *r->at;
                    if (h >= '0' && h <= '9')
                        code = code * 16 + (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        code = code * 16 + (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        code = code * 16 + (unsigned)(h - 'A' + 10);
                    else
                        return 0;
                    r->at++;
                }
                c = (code >= 0x20 && code < 0x7f) ? (char)code : '?';
                break;
            }
            default:
                return 0;
            }
        }
        if (n + 1 < capacity)
            out[n++] = c;
    }
    out[n] = '\0';
    return 1;
}

/* Length of the JSON number token at `at` (RFC 8259 grammar), 0 if none. */
static size_t number_length(const char *at)
{
    const char *p = at;
    if (*p == '-')
        p++;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (*p >= '0' && *p <= '9')
            p++;
    } else {
        return 0;
    }
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return (size_t)(p - at);
}

/* Converts a checked JSON number token to a double. strtod follows the C
 * locale's decimal point, so the token's '.' is swapped for the current
 * one first: the host may have set a locale that writes "0,5". */
static int token_to_double(const char *token, size_t length, double *out)
{
    char buffer[128];
    const char *point = localeconv()->decimal_point;
    char *end;
    size_t i, n = 0;
    if (point == NULL || point[0] == '\0')
        point = ".";
    for (i = 0; i < length; i++) {
        if (token[i] == '.') {
            size_t k;
            for (k = 0; point[k] != '\0'; k++) {
                if (n + 1 >= sizeof buffer)
                    return 0;
                buffer[n++] = point[k];
            }
        } else {
            if (n + 1 >= sizeof buffer)
                return 0;
            buffer[n++] = token[i];
        }
    }
    buffer[n] = '\0';
    *out = strtod(buffer, &end);
    return *end == '\0';
}

static int numberish(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
           c == '+' || c == '-';
}

/* Reads the value of `key`, which must be a JSON number. `token_text`
 * receives a printable copy of what was read, for later messages. */
static assay_status read_number(reader *r, const char *key, const char *expected,
                                double *out, char *token_text, size_t token_capacity)
{
    const char *start = r->at;
    size_t length = number_length(start), span = 0;

    /* The whole run of number-like characters must be one JSON number:
     * "01", "1.", ".5" and "1e" are rejected, not half read. */
    while (numberish(start[span]) && span < 64)
        span++;
    if (length == 0 || length != span) {
        const char *kind;
        if (*start == '"' || *start == '{' || *start == '[') {
            kind = *start == '"' ? "a string" : *start == '{' ? "an object" : "an array";
            return fail(r->error, ASSAY_ERROR_CONFIG,
                        PLUGIN_ID " config: \"%s\" must be %s, got %s", key,
                        expected, kind);
        }
        if (*start == '\0')
            return fail(r->error, ASSAY_ERROR_CONFIG,
                        PLUGIN_ID " config: \"%s\" must be %s, got the end of "
                        "the config", key, expected);
        if (span == 0) /* true, false, null or garbage: show the word */
            while (start[span] != '\0' && start[span] != ',' && start[span] != '}' &&
                   start[span] != ' ' && span < 24)
                span++;
        if (span == 0)
            return fail(r->error, ASSAY_ERROR_CONFIG,
                        PLUGIN_ID " config: \"%s\" must be %s, got no value",
                        key, expected);
        excerpt(start, span, token_text, token_capacity);
        return fail(r->error, ASSAY_ERROR_CONFIG,
                    PLUGIN_ID " config: \"%s\" must be %s, got %s", key, expected,
                    token_text);
    }
    excerpt(start, length, token_text, token_capacity);
    if (!token_to_double(start, length, out) || !isfinite(*out)) {
        return fail(r->error, ASSAY_ERROR_CONFIG,
                    PLUGIN_ID " config: \"%s\" must be %s, got %s", key, expected,
                    token_text);
    }
    r->at += length;
    return ASSAY_OK;
}

static assay_status parse_config(const char *json, sign_verifier *out,
                                 assay_error *error)
{
    reader r;
    int seen_coordinate = 0, seen_margin = 0;
    char key[64], shown[64];
    assay_status status;

    r.at = json;
    r.error = error;
    out->coordinate = 0;
    out->margin = 0.0;
    if (json == NULL)
        return ASSAY_OK; /* the header promises "{}", but be lenient */

    skip_space(&r);
    if (*r.at != '{')
        return fail(error, ASSAY_ERROR_CONFIG,
                    PLUGIN_ID " config: expected a JSON object like "
                    "{\"coordinate\": 0, \"margin\": 0.0}, got %s",
                    *r.at == '\0' ? "nothing" : near(r.at, shown, sizeof shown));
    r.at++;
    skip_space(&r);
    if (*r.at == '}') {
        r.at++;
    } else {
        for (;;) {
            const char *key_start, *name;
            double value;
            skip_space(&r);
            key_start = r.at;
            if (!read_string(&r, key, sizeof key)) {
                return fail(error, ASSAY_ERROR_CONFIG,
                            PLUGIN_ID " config: expected a quoted key, got %s",
                            near(key_start, shown, sizeof shown));
            }
            excerpt(key, strlen(key), shown, sizeof shown);
            skip_space(&r);
            if (*r.at != ':')
                return fail(error, ASSAY_ERROR_CONFIG,
                            PLUGIN_ID " config: expected ':' after the key \"%s\"",
                            shown);
            r.at++;
            skip_space(&r);

            if (strcmp(key, "coordinate") == 0) {
                char token[48];
                if (seen_coordinate)
                    return fail(error, ASSAY_ERROR_CONFIG,
                                PLUGIN_ID " config: \"coordinate\" is given twice");
                seen_coordinate = 1;
                name = "coordinate";
                status = read_number(&r, "coordinate", "an integer >= 0", &value,
                                     token, sizeof token);
                if (status != ASSAY_OK)
                    return status;
                /* range first: converting a huge double to uint64_t is UB */
                if (value < 0.0 || value > MAX_EXACT_INTEGER ||
                    value != (double)(uint64_t)value)
                    return fail(error, ASSAY_ERROR_CONFIG,
                                PLUGIN_ID " config: \"coordinate\" must be an "
                                "integer >= 0, got %s", token);
                out->coordinate = (uint64_t)value;
            } else if (strcmp(key, "margin") == 0) {
                char token[48];
                if (seen_margin)
                    return fail(error, ASSAY_ERROR_CONFIG,
                                PLUGIN_ID " config: \"margin\" is given twice");
                seen_margin = 1;
                name = "margin";
                status = read_number(&r, "margin", "a finite number", &value,
                                     token, sizeof token);
                if (status != ASSAY_OK)
                    return status;
                out->margin = value;
            } else {
                return fail(error, ASSAY_ERROR_CONFIG,
                            PLUGIN_ID " config: unknown key \"%s\"; expected "
                            "\"coordinate\" or \"margin\"", shown);
            }

            skip_space(&r);
            if (*r.at == ',') {
                r.at++;
                continue;
            }
            if (*r.at == '}') {
                r.at++;
                break;
            }
            return fail(error, ASSAY_ERROR_CONFIG,
                        PLUGIN_ID " config: expected ',' or '}' after the value "
                        "of \"%s\", got %s", name, near(r.at, shown, sizeof shown));
        }
    }
    skip_space(&r);
    if (*r.at != '\0')
        return fail(error, ASSAY_ERROR_CONFIG,
                    PLUGIN_ID " config: unexpected text after the object: %s",
                    near(r.at, shown, sizeof shown));
    return ASSAY_OK;
}

/* ---- The plugin ----------------------------------------------------------- */

static assay_status sign_create(const assay_plugin *plugin, const char *config_json,
                                const assay_host *host, void **instance,
                                assay_error *error)
{
    sign_verifier parsed, *made;
    char line[160];
    assay_status status;
    (void)plugin;

    if (instance == NULL)
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": create needs somewhere to put the instance");
    *instance = NULL;
    status = parse_config(config_json, &parsed, error);
    if (status != ASSAY_OK)
        return status;

    made = malloc(sizeof *made);
    if (made == NULL)
        return fail(error, ASSAY_ERROR_FAILED, PLUGIN_ID ": out of memory");
    *made = parsed;
    made->host = host;

    if (host != NULL && host->log != NULL) {
        snprintf(line, sizeof line,
                 PLUGIN_ID ": keeping pairs with y' * x[%llu] > %g",
                 (unsigned long long)made->coordinate, made->margin);
        host->log(host, ASSAY_LOG_INFO, line);
    }
    *instance = made;
    return ASSAY_OK;
}

static void sign_destroy(void *instance)
{
    free(instance);
}

static assay_status sign_prepare(void *instance, const assay_task *task,
                                 assay_random *rng, assay_error *error)
{
    const sign_verifier *self = instance;
    (void)rng;
    if (self == NULL || task == NULL)
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": prepare needs an instance and a task");
    if (self->coordinate >= task->x_cols)
        return fail(error, ASSAY_ERROR_CONFIG,
                    PLUGIN_ID " config: \"coordinate\" is %llu but x has %llu "
                    "columns; expected an integer below %llu",
                    (unsigned long long)self->coordinate,
                    (unsigned long long)task->x_cols,
                    (unsigned long long)task->x_cols);
    return ASSAY_OK;
}

static assay_status sign_selection(void *instance, assay_selection *out,
                                   assay_error *error)
{
    (void)instance;
    if (out == NULL)
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": selection needs somewhere to write");
    out->mode = ASSAY_SELECT_RULE;
    out->reserved = 0;
    out->fraction = 1.0; /* ignored in RULE mode */
    return ASSAY_OK;
}

/* Reads only the instance's settings: safe to run on several threads. */
static assay_status sign_verify(void *instance, const assay_batch *batch,
                                assay_random *rng, uint8_t *keep, double *score,
                                assay_error *error)
{
    const sign_verifier *self = instance;
    uint64_t i, stride, c;
    const double *x, *y;
    double margin;
    (void)rng;
    (void)score;

    if (self == NULL || batch == NULL || keep == NULL)
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": verify needs an instance, a batch and keep[]");
    if (!ASSAY_HAS_FIELD(batch, assay_batch, y_cols))
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": batch struct_size %u is too small for ABI 1.0",
                    (unsigned)batch->struct_size);
    if (batch->y == NULL || batch->y_cols != 1)
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": expected one label column y' per row, got %s",
                    batch->y == NULL ? "no labels" : "several columns");
    if (batch->rows > 0 && (batch->x == NULL || self->coordinate >= batch->x_cols))
        return fail(error, ASSAY_ERROR_ARGUMENT,
                    PLUGIN_ID ": batch x has %llu columns; expected more than %llu",
                    (unsigned long long)batch->x_cols,
                    (unsigned long long)self->coordinate);

    x = batch->x;
    y = batch->y;
    stride = batch->x_cols;
    c = self->coordinate;
    margin = self->margin;
    for (i = 0; i < batch->rows; i++)
        keep[i] = (uint8_t)(y[i] * x[i * stride + c] > margin);
    return ASSAY_OK;
}

/* ---- Tables ----------------------------------------------------------------- */

static const assay_param sign_params[] = {
    {"coordinate", "integer", "0", "column of x whose sign the label must match"},
    {"margin", "number", "0.0", "keep a pair only when y' * x[coordinate] exceeds this"},
};

static const assay_verifier sign_verifier_calls = {
    sizeof(assay_verifier), 0, sign_prepare, sign_selection, sign_verify,
};

static const assay_plugin sign_plugin = {
    sizeof(assay_plugin),
    ASSAY_KIND_VERIFIER,
    PLUGIN_ID,
    "1.0.0",
    "keeps (x, y') when y' * x[coordinate] > margin",
    0, /* needs nothing from the host but log */
    sign_params,
    sizeof sign_params / sizeof sign_params[0],
    sign_create,
    sign_destroy,
    NULL,
    &sign_verifier_calls,
};

static const assay_plugin *const library_plugins[] = {&sign_plugin};

static const assay_library library = {
    ASSAY_ABI_MAJOR,
    ASSAY_ABI_MINOR,
    sizeof(assay_library),
    sizeof library_plugins / sizeof library_plugins[0],
    library_plugins,
};

ASSAY_EXPORT const assay_library *assay_plugin_entry(void)
{
    return &library;
}
