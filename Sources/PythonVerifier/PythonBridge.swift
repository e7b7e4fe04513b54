/// The Python half of the python verifier, run once per process as the
/// module `_assay_python_bridge` of the embedded interpreter.
///
/// It does in Python what is Python's to do: import the user's module,
/// wrap the host's buffers as numpy arrays without a copy, call the
/// function, and turn what comes back (or what was raised) into keep bits,
/// scores or a one-line message. Its messages are raised as `AssayError`,
/// which the C shim passes on as they are.
enum PythonBridge {
    static let moduleName = "_assay_python_bridge"

    static let source = #"""
import importlib
import importlib.util
import json
import os
import sys
import traceback


class AssayError(Exception):
    """A one-line message for Assay, shown as it is."""


numpy = None


def setup(configuration):
    """Makes this interpreter see what the named one sees: its sys.path
    (site-packages of its venv included), prefix and executable."""
    settings = json.loads(configuration)
    sys.path[:] = settings["path"]
    sys.prefix = settings["prefix"]
    sys.exec_prefix = settings["exec_prefix"]
    sys.executable = settings["executable"]
    return ""


def _require_numpy():
    global numpy
    if numpy is None:
        try:
            import numpy as module
        except ImportError as error:
            raise AssayError(
                f"numpy cannot be imported ({error}); python verifiers need numpy "
                f"in the interpreter's environment (sys.executable {sys.executable})") from None
        numpy = module
    return numpy


def _where(path):
    """A traceback file, relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _describe(error):
    """Type: message (innermost file:line), for a one-line report."""
    text = str(error).strip()
    head = type(error).__name__ + (": " + text if text else "")
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        head += f" at {_where(frames[-1].filename)}:{frames[-1].lineno}"
    return head


_modules = {}


def _import(spec):
    """A module by file path (it ends in .py or has a slash) or by name."""
    if spec in _modules:
        return _modules[spec]
    if spec.endswith(".py") or os.sep in spec:
        path = os.path.abspath(spec)
        if not os.path.isfile(path):
            raise AssayError(f"module {spec}: no such file ({path})")
        name = "assay_verifier_" + "".join(c if c.isalnum() else "_" for c in path)
        loader_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[name] = module
        try:
            loader_spec.loader.exec_module(module)
        except BaseException as error:
            del sys.modules[name]
            message = f"importing {spec} raised {_describe(error)}"
            traceback.clear_frames(error.__traceback__)
            raise AssayError(message) from None
    else:
        try:
            module = importlib.import_module(spec)
        except ModuleNotFoundError as error:
            if error.name is not None and (spec == error.name or spec.startswith(error.name + ".")):
                raise AssayError(
                    f"module {spec} not found (sys.path of {sys.executable}; give a file path ending in .py for a file)") from None
            message = f"importing {spec} raised {_describe(error)}"
            raise AssayError(message) from None
        except BaseException as error:
            message = f"importing {spec} raised {_describe(error)}"
            traceback.clear_frames(error.__traceback__)
            raise AssayError(message) from None
    _modules[spec] = module
    return module


def _shown(value):
    """A numpy scalar as Python prints it: 2, 2.0, nan, True."""
    return repr(value.item()) if hasattr(value, "item") else repr(value)


class Caller:
    """The user's function with its keyword config, called once per batch."""

    def __init__(self, function, label, keywords, scores):
        self.function = function
        self.label = label
        self.keywords = keywords
        self.scores = scores

    def __call__(self, x_view, y_view, out_view, rows, x_cols, y_cols, first_row):
        np = numpy
        where = f"batch of rows {first_row}\u2013{first_row + rows - 1}"
        x_base = np.frombuffer(x_view, dtype=np.float64)
        y_base = np.frombuffer(y_view, dtype=np.float64)
        # Every numpy view of x or y has x_base or y_base as its base (they
        # do not own their data), so a view kept past the call shows as a
        # reference that was not there before. (Releasing our memoryviews
        # cannot tell: numpy reads the buffer through a memoryview of its own.)
        references = (sys.getrefcount(x_base), sys.getrefcount(y_base))
        x = x_base.reshape(rows, x_cols)
        y = y_base if y_cols == 1 else y_base.reshape(rows, y_cols)
        failure = None
        try:
            result = self.function(x, y, **self.keywords)
        except BaseException as error:
            failure = f"{self.label} raised {_describe(error)} ({where})"
            # The traceback's frames hold x and y: drop them, so the views
            # over the host's buffers can be released.
            traceback.clear_frames(error.__traceback__)
            result = None
        del x, y
        if failure is not None:
            raise AssayError(failure)
        try:
            if self.scores:
                self._store_scores(result, out_view, rows, first_row, where)
            else:
                self._store_bits(result, out_view, rows, first_row, where)
        finally:
            del result
        if (sys.getrefcount(x_base), sys.getrefcount(y_base)) != references:
            raise AssayError(
                f"{self.label} kept a view of x, y or its output after returning ({where}); "
                "the host reuses those buffers: copy what it keeps (numpy.array(x))")
        return None

    def _array(self, result, rows, what, where):
        np = numpy
        if result is None:
            raise AssayError(f"{self.label} returned None; expected {rows} {what}, one per row ({where})")
        try:
            array = np.asarray(result)
        except Exception as error:
            raise AssayError(
                f"{self.label} returned a {type(result).__name__} numpy cannot read ({error}); "
                f"expected {rows} {what}, one per row ({where})") from None
        if array.ndim != 1:
            shape = "a scalar" if array.ndim == 0 else f"an array of shape {array.shape}"
            raise AssayError(f"{self.label} returned {shape}; expected {rows} {what}, one per row ({where})")
        if array.shape[0] != rows:
            raise AssayError(
                f"{self.label} returned {array.shape[0]} values for {rows} rows; expected {rows} {what}, one per row ({where})")
        return array

    def _store_bits(self, result, out_view, rows, first_row, where):
        np = numpy
        array = self._array(result, rows, "keep bits", where)
        kind = array.dtype.kind
        if kind not in "biuf":
            raise AssayError(
                f"{self.label} returned values of dtype {array.dtype}; expected keep bits (bool, or numbers 0 and 1) ({where})")
        if kind != "b":
            bad = np.flatnonzero((array != 0) & (array != 1))
            if bad.size:
                row = int(bad[0])
                raise AssayError(
                    f"{self.label} returned {_shown(array[row])} at row {first_row + row}; expected 0 or 1 ({where})")
        np.frombuffer(out_view, dtype=np.uint8)[:] = array

    def _store_scores(self, result, out_view, rows, first_row, where):
        np = numpy
        array = self._array(result, rows, "scores", where)
        if array.dtype.kind not in "biuf":
            raise AssayError(f"{self.label} returned values of dtype {array.dtype}; expected numeric scores ({where})")
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            row = int(bad[0])
            raise AssayError(
                f"{self.label} returned score {_shown(array[row])} at row {first_row + row}; expected a finite number ({where})")
        np.frombuffer(out_view, dtype=np.float64)[:] = array


def load(spec, name, label, keywords, mode):
    """The Caller for function `name` of module `spec`."""
    _require_numpy()
    module = _import(spec)
    if not hasattr(module, name):
        raise AssayError(f"module {spec} has no function {name}")
    function = getattr(module, name)
    if not callable(function):
        raise AssayError(f"{label} is not callable ({type(function).__name__} {repr(function)[:40]})")
    return Caller(function, label, json.loads(keywords), mode == "score")
"""#
}
