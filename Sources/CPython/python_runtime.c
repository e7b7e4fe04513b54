/* CPython through dlopen/dlsym: see include/assay_python.h. */
#define _GNU_SOURCE
#include "assay_python.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

typedef struct _object PyObject;
typedef ssize_t Py_ssize_t;
typedef int PyGILState_STATE;

/* From Python.h, stable since 3.2: compile a module, memoryview flags. */
#define PY_FILE_INPUT 257
#define PY_BUF_READ 0x100
#define PY_BUF_WRITE 0x200

/* Every entry point the verifier uses, all of the limited API. */
static struct {
    int (*Py_IsInitialized)(void);
    void (*Py_InitializeEx)(int);
    void *(*PyEval_SaveThread)(void);
    PyGILState_STATE (*PyGILState_Ensure)(void);
    void (*PyGILState_Release)(PyGILState_STATE);
    const char *(*Py_GetVersion)(void);
    void (*Py_DecRef)(PyObject *);
    void (*Py_IncRef)(PyObject *);
    void (*PyErr_Fetch)(PyObject **, PyObject **, PyObject **);
    void (*PyErr_NormalizeException)(PyObject **, PyObject **, PyObject **);
    void (*PyErr_Clear)(void);
    PyObject *(*PyObject_Str)(PyObject *);
    const char *(*PyUnicode_AsUTF8)(PyObject *);
    PyObject *(*PyUnicode_FromString)(const char *);
    PyObject *(*PyLong_FromUnsignedLongLong)(unsigned long long);
    PyObject *(*PyObject_GetAttrString)(PyObject *, const char *);
    PyObject *(*PyObject_CallObject)(PyObject *, PyObject *);
    PyObject *(*PyTuple_New)(Py_ssize_t);
    int (*PyTuple_SetItem)(PyObject *, Py_ssize_t, PyObject *);
    PyObject *(*Py_CompileString)(const char *, const char *, int);
    PyObject *(*PyImport_ExecCodeModule)(const char *, PyObject *);
    PyObject *(*PyMemoryView_FromMemory)(char *, Py_ssize_t, int);
} py;

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static int started = 0;
static int was_running = 0;

static void say(char *message, size_t capacity, const char *format, ...)
{
    va_list args;
    size_t i;
    if (message == NULL || capacity == 0)
        return;
    va_start(args, format);
    vsnprintf(message, capacity, format, args);
    va_end(args);
    for (i = 0; message[i] != '\0'; i++)
        if (message[i] == '\n' || message[i] == '\r')
            message[i] = ' ';
}

/* Looks every symbol up in `handle`; 0, or nonzero naming the first missing. */
static int resolve(void *handle, const char *library, char *message, size_t capacity)
{
#define RESOLVE(name)                                                                        \
    do {                                                                                     \
        *(void **)(&py.name) = dlsym(handle, #name);                                         \
        if (py.name == NULL) {                                                               \
            say(message, capacity, "%s has no symbol %s; expected a CPython 3 shared library", \
                library, #name);                                                             \
            return 1;                                                                        \
        }                                                                                    \
    } while (0)
    RESOLVE(Py_IsInitialized);
    RESOLVE(Py_InitializeEx);
    RESOLVE(PyEval_SaveThread);
    RESOLVE(PyGILState_Ensure);
    RESOLVE(PyGILState_Release);
    RESOLVE(Py_GetVersion);
    RESOLVE(Py_DecRef);
    RESOLVE(Py_IncRef);
    RESOLVE(PyErr_Fetch);
    RESOLVE(PyErr_NormalizeException);
    RESOLVE(PyErr_Clear);
    RESOLVE(PyObject_Str);
    RESOLVE(PyUnicode_AsUTF8);
    RESOLVE(PyUnicode_FromString);
    RESOLVE(PyLong_FromUnsignedLongLong);
    RESOLVE(PyObject_GetAttrString);
    RESOLVE(PyObject_CallObject);
    RESOLVE(PyTuple_New);
    RESOLVE(PyTuple_SetItem);
    RESOLVE(Py_CompileString);
    RESOLVE(PyImport_ExecCodeModule);
    RESOLVE(PyMemoryView_FromMemory);
#undef RESOLVE
    return 0;
}

int assay_python_start(const char *library, char *message, size_t capacity)
{
    int status = 0;
    pthread_mutex_lock(&start_lock);
    if (started)
        goto done;
    /* Assay inside a Python process: its interpreter is already there. */
    if (dlsym(RTLD_DEFAULT, "Py_IsInitialized") != NULL
        && resolve(RTLD_DEFAULT, "the running process", message, capacity) == 0
        && py.Py_IsInitialized()) {
        was_running = 1;
        started = 1;
        goto done;
    }
    {
        void *handle;
        if (library == NULL || library[0] == '\0') {
            say(message, capacity, "no Python library given");
            status = 1;
            goto done;
        }
        handle = dlopen(library, RTLD_NOW | RTLD_GLOBAL);
        if (handle == NULL) {
            const char *reason = dlerror();
            say(message, capacity, "cannot load %s (%s)", library, reason ? reason : "unknown reason");
            status = 1;
            goto done;
        }
        if (resolve(handle, library, message, capacity) != 0) {
            status = 1;
            goto done;
        }
        if (!py.Py_IsInitialized()) {
            /* 0: leave the host's signal handlers alone (Ctrl-C stays Assay's). */
            py.Py_InitializeEx(0);
            if (!py.Py_IsInitialized()) {
                say(message, capacity, "%s: the interpreter did not start", library);
                status = 1;
                goto done;
            }
            /* The initializing thread holds the GIL: give it up, so that
             * every later call (from any thread) takes it for itself. */
            py.PyEval_SaveThread();
        } else {
            was_running = 1;
        }
        started = 1;
    }
done:
    pthread_mutex_unlock(&start_lock);
    return status;
}

int assay_python_was_running(void) { return was_running; }

const char *assay_python_version(void) { return started ? py.Py_GetVersion() : ""; }

/* The pending exception as one line: "Type: message", or the message alone
 * for the bridge's own AssayError. Clears it. GIL held. */
static void take_exception(char *message, size_t capacity)
{
    PyObject *type = NULL, *value = NULL, *traceback = NULL;
    const char *type_name = "exception", *text = "";
    PyObject *name_object = NULL, *text_object = NULL;
    py.PyErr_Fetch(&type, &value, &traceback);
    if (type == NULL) {
        say(message, capacity, "failed without a Python exception");
        return;
    }
    py.PyErr_NormalizeException(&type, &value, &traceback);
    name_object = py.PyObject_GetAttrString(type, "__name__");
    if (name_object != NULL && py.PyUnicode_AsUTF8(name_object) != NULL)
        type_name = py.PyUnicode_AsUTF8(name_object);
    if (value != NULL)
        text_object = py.PyObject_Str(value);
    if (text_object != NULL && py.PyUnicode_AsUTF8(text_object) != NULL)
        text = py.PyUnicode_AsUTF8(text_object);
    py.PyErr_Clear();
    if (strcmp(type_name, "AssayError") == 0)
        say(message, capacity, "%s", text);
    else if (text[0] == '\0')
        say(message, capacity, "%s", type_name);
    else
        say(message, capacity, "%s: %s", type_name, text);
    py.Py_DecRef(text_object);
    py.Py_DecRef(name_object);
    py.Py_DecRef(type);
    py.Py_DecRef(value);
    py.Py_DecRef(traceback);
}

void *assay_python_module(const char *name, const char *source, char *message, size_t capacity)
{
    PyGILState_STATE gil = py.PyGILState_Ensure();
    PyObject *module = NULL;
    PyObject *code = py.Py_CompileString(source, name, PY_FILE_INPUT);
    if (code != NULL) {
        module = py.PyImport_ExecCodeModule(name, code);
        py.Py_DecRef(code);
    }
    if (module == NULL)
        take_exception(message, capacity);
    py.PyGILState_Release(gil);
    return module;
}

void *assay_python_attribute(void *object, const char *name, char *message, size_t capacity)
{
    PyGILState_STATE gil = py.PyGILState_Ensure();
    PyObject *value = py.PyObject_GetAttrString(object, name);
    if (value == NULL)
        take_exception(message, capacity);
    py.PyGILState_Release(gil);
    return value;
}

void *assay_python_call_strings(void *callable, const char *const *arguments, size_t count,
                                char *message, size_t capacity)
{
    PyGILState_STATE gil = py.PyGILState_Ensure();
    PyObject *result = NULL;
    PyObject *tuple = py.PyTuple_New((Py_ssize_t)count);
    size_t i;
    for (i = 0; tuple != NULL && i < count; i++) {
        PyObject *text = py.PyUnicode_FromString(arguments[i]);
        if (text == NULL || py.PyTuple_SetItem(tuple, (Py_ssize_t)i, text) != 0) {
            py.Py_DecRef(tuple);
            tuple = NULL;
        }
    }
    if (tuple != NULL) {
        result = py.PyObject_CallObject(callable, tuple);
        py.Py_DecRef(tuple);
    }
    if (result == NULL)
        take_exception(message, capacity);
    py.PyGILState_Release(gil);
    return result;
}

int assay_python_text(void *object, char *out, size_t capacity)
{
    PyGILState_STATE gil = py.PyGILState_Ensure();
    int status = 0;
    PyObject *text = py.PyObject_Str(object);
    const char *utf8 = text != NULL ? py.PyUnicode_AsUTF8(text) : NULL;
    if (utf8 == NULL) {
        take_exception(out, capacity);
        status = 1;
    } else if (out != NULL && capacity > 0) {
        snprintf(out, capacity, "%s", utf8);
    }
    py.Py_DecRef(text);
    py.PyGILState_Release(gil);
    return status;
}

/* view.release(); 0, or nonzero when something still holds the buffer. */
static int release_view(PyObject *view)
{
    int status = 0;
    PyObject *release, *result = NULL;
    if (view == NULL)
        return 0;
    release = py.PyObject_GetAttrString(view, "release");
    if (release != NULL)
        result = py.PyObject_CallObject(release, NULL);
    if (result == NULL) {
        py.PyErr_Clear();
        status = 1;
    }
    py.Py_DecRef(result);
    py.Py_DecRef(release);
    py.Py_DecRef(view);
    return status;
}

int assay_python_call_batch(void *callable, const double *x, const double *y, void *out, size_t out_bytes,
                            uint64_t rows, uint64_t x_cols, uint64_t y_cols, uint64_t first_row,
                            char *message, size_t capacity)
{
    PyGILState_STATE gil = py.PyGILState_Ensure();
    int status = 0, kept = 0, ready = 1;
    PyObject *views[3], *numbers[4], *tuple = NULL, *result = NULL;
    const uint64_t values[4] = {rows, x_cols, y_cols, first_row};
    size_t i;

    /* Nothing writes through x or y: the const goes only as far as a
     * read-only memoryview. */
    views[0] = py.PyMemoryView_FromMemory((char *)(uintptr_t)x, (Py_ssize_t)(rows * x_cols * sizeof(double)), PY_BUF_READ);
    views[1] = py.PyMemoryView_FromMemory((char *)(uintptr_t)y, (Py_ssize_t)(rows * y_cols * sizeof(double)), PY_BUF_READ);
    views[2] = py.PyMemoryView_FromMemory((char *)out, (Py_ssize_t)out_bytes, PY_BUF_WRITE);
    for (i = 0; i < 4; i++)
        numbers[i] = py.PyLong_FromUnsignedLongLong((unsigned long long)values[i]);
    for (i = 0; i < 3; i++)
        ready = ready && views[i] != NULL;
    for (i = 0; i < 4; i++)
        ready = ready && numbers[i] != NULL;
    if (ready)
        tuple = py.PyTuple_New(7);
    if (tuple != NULL) {
        /* PyTuple_SetItem steals a reference: the tuple gets one of each
         * view and we keep ours, to release the views after the call. */
        for (i = 0; i < 3; i++) {
            py.Py_IncRef(views[i]);
            py.PyTuple_SetItem(tuple, (Py_ssize_t)i, views[i]);
        }
        for (i = 0; i < 4; i++) {
            py.PyTuple_SetItem(tuple, (Py_ssize_t)(3 + i), numbers[i]);
            numbers[i] = NULL;
        }
        result = py.PyObject_CallObject(callable, tuple);
        py.Py_DecRef(tuple);
    }
    if (result == NULL) {
        take_exception(message, capacity);
        status = 1;
    }
    py.Py_DecRef(result);
    for (i = 0; i < 4; i++)
        py.Py_DecRef(numbers[i]);
    /* The buffers are the host's and are reused once this returns: a view
     * that something still exports (an array kept in a global) cannot be
     * released, and that is an error, not a dangling pointer left behind
     * silently. */
    for (i = 0; i < 3; i++)
        kept |= release_view(views[i]);
    if (kept && status == 0) {
        say(message, capacity, "kept a view of the batch's buffers after returning");
        status = 2;
    }
    py.PyGILState_Release(gil);
    return status;
}

void assay_python_release(void *object)
{
    PyGILState_STATE gil;
    if (object == NULL || !started)
        return;
    gil = py.PyGILState_Ensure();
    py.Py_DecRef(object);
    py.PyGILState_Release(gil);
}
