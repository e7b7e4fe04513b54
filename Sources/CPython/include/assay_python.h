/* CPython, loaded at run time: the few calls the built-in "python" verifier
 * makes, through function pointers looked up with dlsym in a libpython
 * opened with dlopen. Nothing here links against libpython, so a host
 * built with it runs where no Python exists until a python verifier is
 * created; then assay_python_start says what is missing.
 *
 * Objects are opaque `void *` handles holding one reference each.
 *
 * Threads: assay_python_start may be called from any thread, any number of
 * times (the first successful call wins; later calls return at once). After
 * it, every other call may run on any thread and takes the GIL for its own
 * duration (PyGILState_Ensure/Release): the GIL is never held between
 * calls. Messages are one line, NUL-terminated, truncated to `capacity`. */
#ifndef ASSAY_PYTHON_H
#define ASSAY_PYTHON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opens `library` (a path, RTLD_GLOBAL so that extension modules such as
 * numpy's resolve the interpreter's symbols) and starts the interpreter,
 * without signal handlers. When the process already runs an initialized
 * Python (Assay embedded in Python), that interpreter is used and
 * `library` is not opened. Returns 0, or nonzero with a message. */
int assay_python_start(const char *library, char *message, size_t capacity);

/* 1 when the interpreter in use was already running before Assay started
 * it (the embedding case), 0 otherwise. Only after a successful start. */
int assay_python_was_running(void);

/* Py_GetVersion() of the interpreter in use ("3.11.7 (main, ...)"). */
const char *assay_python_version(void);

/* Runs `source` as the body of a new module called `name` and returns the
 * module, or NULL with the exception as "Type: message". */
void *assay_python_module(const char *name, const char *source, char *message, size_t capacity);

/* getattr(object, name), or NULL with a message. */
void *assay_python_attribute(void *object, const char *name, char *message, size_t capacity);

/* callable(*arguments) with `count` str arguments; the result, or NULL with
 * the exception as "Type: message" (for an exception whose type is named
 * AssayError, the message alone). */
void *assay_python_call_strings(void *callable, const char *const *arguments, size_t count,
                                char *message, size_t capacity);

/* str(object) as UTF-8 into `out`; 0, or nonzero with a message in `out`. */
int assay_python_text(void *object, char *out, size_t capacity);

/* callable(x, y, out, rows, x_cols, y_cols, first_row), where x, y and out
 * are memoryviews over the given buffers without a copy: x (rows·x_cols
 * doubles) and y (rows·y_cols doubles) read-only, out (out_bytes)
 * writable. The views are released before this returns; a callable that
 * still holds one then is an error (the buffers belong to the host).
 * Returns 0, or nonzero with the message as for assay_python_call_strings. */
int assay_python_call_batch(void *callable, const double *x, const double *y, void *out, size_t out_bytes,
                            uint64_t rows, uint64_t x_cols, uint64_t y_cols, uint64_t first_row,
                            char *message, size_t capacity);

/* Drops the handle's reference. */
void assay_python_release(void *object);

#ifdef __cplusplus
}
#endif

#endif
