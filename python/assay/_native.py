"""libAssay.so through ctypes: finding it, the C declarations of assay.h,
and turning a status plus an assay_host_error into an AssayError.

Nothing here is compiled: the library is the one `swift build` makes.
"""
from __future__ import annotations

import ctypes
import os
import sys
from functools import lru_cache
from pathlib import Path

HOST_ABI_MAJOR = 1  # ASSAY_HOST_ABI_MAJOR of the assay.h these declarations follow

STATUS_NAMES = {
    1: "argument",
    2: "config",
    3: "plugin",
    4: "store",
    5: "run",
    6: "busy",
}

LIBRARY_NAME = "libAssay.dylib" if sys.platform == "darwin" else "libAssay.so"


class AssayError(Exception):
    """A call into Assay failed. str(error) is the library's one-line
    message; `status` is the assay_host_status code and `kind` its name
    ("argument", "config", "plugin", "store", "run", "busy")."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status
        self.kind = STATUS_NAMES.get(status, "unknown")


class HostError(ctypes.Structure):
    _fields_ = [("message", ctypes.c_char * 512)]  # ASSAY_HOST_ERROR_CAPACITY


class Interval(ctypes.Structure):
    _fields_ = [("lower", ctypes.c_double), ("upper", ctypes.c_double)]


class Scores(ctypes.Structure):
    """assay_scores, field for field."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32),
        ("pairs", ctypes.c_uint64),
        ("kept", ctypes.c_uint64),
        ("p", ctypes.c_double),
        ("phi", ctypes.c_double),
        ("phi_interval", Interval),
        ("psi", ctypes.c_double),
        ("psi_interval", Interval),
        ("p_star", ctypes.c_double),
        ("p_star_interval", Interval),
        ("has_phi", ctypes.c_int32),
        ("has_psi", ctypes.c_int32),
        ("has_p_star", ctypes.c_int32),
        ("has_p_star_interval", ctypes.c_int32),
    ]


PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_uint64, ctypes.c_uint64, ctypes.c_void_p)
RUN_NO_RETRAIN = 1


def candidates() -> list[str]:
    """Where libAssay is looked for, in order: $ASSAY_LIBRARY alone when
    set; else the build folders of the repository this package sits in and
    of the current folder (debug, then release); else the loader's own
    search path (LD_LIBRARY_PATH and the system folders)."""
    explicit = os.environ.get("ASSAY_LIBRARY")
    if explicit:
        return [explicit]
    roots = [Path(__file__).resolve().parents[2], Path.cwd()]
    found = []
    for root in roots:
        for configuration in ("debug", "release"):
            path = root / ".build" / configuration / LIBRARY_NAME
            if str(path) not in found:
                found.append(str(path))
    return found + [LIBRARY_NAME]


@lru_cache(maxsize=None)
def library() -> ctypes.CDLL:
    """libAssay, loaded once and declared; AssayError when it cannot be."""
    tried = []
    for candidate in candidates():
        if os.sep in candidate and not os.path.exists(candidate):
            tried.append(f"{candidate} (missing)")
            continue
        try:
            lib = ctypes.CDLL(candidate)
        except OSError as error:
            tried.append(f"{candidate} ({error})")
            continue
        declare(lib)
        version = lib.assay_host_abi_version()
        if version >> 16 != HOST_ABI_MAJOR:
            raise AssayError(
                f"{candidate}: host ABI {version >> 16}.{version & 0xFFFF}, but this package "
                f"speaks {HOST_ABI_MAJOR}.x; rebuild libAssay or update the package")
        lib.path = candidate
        return lib
    raise AssayError("libAssay not found; run `swift build` or set ASSAY_LIBRARY; tried: "
                     + "; ".join(tried))


def declare(lib: ctypes.CDLL) -> None:
    """Argument and result types of every call of assay.h, so that ctypes
    converts and checks them instead of guessing int."""
    c = ctypes
    session, error = c.c_void_p, c.POINTER(HostError)
    signatures = {
        "assay_host_abi_version": ([], c.c_uint32),
        "assay_string_free": ([c.c_void_p], None),
        "assay_score": ([c.POINTER(c.c_double), c.POINTER(c.c_uint8), c.c_size_t,
                         c.POINTER(Scores), error], c.c_int32),
        "assay_session_create": ([error], session),
        "assay_session_free": ([session], None),
        "assay_session_load_plugin": ([session, c.c_char_p, error], c.c_int32),
        "assay_session_add_plugin_folder": ([session, c.c_char_p, error], c.c_int32),
        "assay_session_plugin_count": ([session], c.c_size_t),
        "assay_session_plugin_id": ([session, c.c_size_t], c.c_char_p),
        "assay_session_plugin_kind": ([session, c.c_size_t], c.c_char_p),
        "assay_session_plugin_version": ([session, c.c_size_t], c.c_char_p),
        "assay_session_plugin_file": ([session, c.c_size_t], c.c_char_p),
        "assay_session_unusable_count": ([session], c.c_size_t),
        "assay_session_unusable": ([session, c.c_size_t], c.c_char_p),
        # result_json is a char ** read as void *, so that the pointer can
        # be handed back to assay_string_free (c_char_p would copy and lose it).
        "assay_session_run": ([session, c.c_char_p, c.c_char_p, c.c_uint32, PROGRESS, c.c_void_p,
                               c.POINTER(c.c_void_p), error], c.c_int32),
    }
    for name, (arguments, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = result


def check(status: int, error: HostError) -> None:
    """Raises the library's error unless `status` is ASSAY_HOST_OK."""
    if status != 0:
        raise AssayError(error.message.decode("utf-8", errors="replace"), status)
