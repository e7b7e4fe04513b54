"""Assay from Python: the host library (libAssay.so) through ctypes.

    import assay
    scores = assay.score(s, q)          # p, phi, psi, p* and 95 % intervals
    document = assay.run(config_toml)   # the JSON document of `assay run --json`
    with assay.Session() as session:
        print(session.plugins)

libAssay.so is found through $ASSAY_LIBRARY, else the .build/debug or
.build/release folder of this repository (or of the current folder); see
assay.library_path().
"""
from ._native import AssayError
from .scoring import Interval, Scores, score
from .session import Plugin, Session, run

__all__ = ["AssayError", "Interval", "Plugin", "Scores", "Session", "abi_version", "library_path", "run", "score"]


def library_path() -> str:
    """The libAssay file in use (loading it if needed)."""
    from . import _native
    return _native.library().path


def abi_version() -> tuple[int, int]:
    """(major, minor) of the loaded library's host ABI."""
    from . import _native
    version = _native.library().assay_host_abi_version()
    return version >> 16, version & 0xFFFF
