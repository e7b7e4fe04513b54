"""assay.Session and assay.run: plugins and experiments through libAssay."""
from __future__ import annotations

import ctypes
import json
import os
from typing import Callable, NamedTuple, Optional

from . import _native
from ._native import AssayError

Progress = Callable[[str, int, int], None]


class Plugin(NamedTuple):
    id: str
    kind: str  # "generator" or "verifier"
    version: str
    file: str


class Session:
    """A set of loaded plugins and the runs made with them.

    A new session has already found the plugins `assay` finds: those in the
    folders of ASSAY_PLUGIN_PATH and the libassay_*.so beside libAssay.so.
    Use a session from one thread at a time; sessions are independent.
    Close it (or use `with`) to release it at once rather than at garbage
    collection.
    """

    def __init__(self):
        self._lib = _native.library()
        error = _native.HostError()
        handle = self._lib.assay_session_create(ctypes.byref(error))
        if not handle:
            raise AssayError(error.message.decode("utf-8", errors="replace"), 5)
        self._handle = handle

    def close(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            self._lib.assay_session_free(handle)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        self.close()

    def _open(self):
        if not self._handle:
            raise AssayError("session is closed", 1)
        return self._handle

    def load_plugin(self, path: str | os.PathLike) -> None:
        """Loads one plugin library file; AssayError (kind "plugin") when it
        cannot be used, with the reason."""
        error = _native.HostError()
        _native.check(self._lib.assay_session_load_plugin(self._open(), os.fsencode(path), ctypes.byref(error)), error)

    def add_plugin_folder(self, folder: str | os.PathLike) -> None:
        """Loads every shared library in `folder`; files that cannot be used
        are listed in `unusable`."""
        error = _native.HostError()
        _native.check(self._lib.assay_session_add_plugin_folder(self._open(), os.fsencode(folder),
                                                                ctypes.byref(error)), error)

    @property
    def plugins(self) -> list[Plugin]:
        """Every plugin loaded, in the order found."""
        handle, lib = self._open(), self._lib

        def text(raw: Optional[bytes]) -> str:
            return os.fsdecode(raw) if raw is not None else ""

        return [Plugin(text(lib.assay_session_plugin_id(handle, index)),
                       text(lib.assay_session_plugin_kind(handle, index)),
                       text(lib.assay_session_plugin_version(handle, index)),
                       text(lib.assay_session_plugin_file(handle, index)))
                for index in range(lib.assay_session_plugin_count(handle))]

    @property
    def unusable(self) -> list[str]:
        """Files that looked like plugins but could not be used: "FILE: REASON"."""
        handle, lib = self._open(), self._lib
        return [os.fsdecode(lib.assay_session_unusable(handle, index))
                for index in range(lib.assay_session_unusable_count(handle))]

    def run(self, config: str, db: str | os.PathLike | None = None, *, retrain: bool = True,
            progress: Optional[Progress] = None) -> dict:
        """Runs the experiment of the TOML text `config` and returns the
        document `assay run --json` prints, parsed (`assay score --json`'s
        with retrain=False). `db`: a results database to store the run in
        (None: not stored, and the document has no "run_id").
        `progress(stage, done, total)` is called as the run advances, on
        this thread; an exception it raises is re-raised when the run ends
        (the run itself cannot be stopped half-way)."""
        if not isinstance(config, str):
            raise AssayError(f"config: expected the TOML text as a str, got {type(config).__name__}", 1)
        raised: list[BaseException] = []

        def report(stage: bytes, done: int, total: int, _user) -> None:
            if raised:
                return
            try:
                progress(stage.decode(), done, total)
            except BaseException as error:  # noqa: BLE001 -- must not unwind into C
                raised.append(error)

        callback = _native.PROGRESS(report) if progress else _native.PROGRESS()  # NULL when no progress
        result = ctypes.c_void_p()
        error = _native.HostError()
        status = self._lib.assay_session_run(
            self._open(), config.encode("utf-8"), None if db is None else os.fsencode(db),
            0 if retrain else _native.RUN_NO_RETRAIN, callback, None, ctypes.byref(result), ctypes.byref(error))
        if status == 0:
            try:
                document = ctypes.string_at(result.value).decode("utf-8")
            finally:
                self._lib.assay_string_free(result)
        if raised:
            raise raised[0]
        _native.check(status, error)
        return json.loads(document)


def run(config: str, db: str | os.PathLike | None = None, *, retrain: bool = True,
        progress: Optional[Progress] = None) -> dict:
    """Session().run(...) with a session of its own: the plugins `assay`
    would find."""
    with Session() as session:
        return session.run(config, db, retrain=retrain, progress=progress)
