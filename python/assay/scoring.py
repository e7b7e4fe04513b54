"""assay.score: p, phi, psi, p* of given arrays, computed by libAssay's
Tally and SelectionScore -- the code behind `assay run` and `assay score`."""
from __future__ import annotations

import ctypes
from dataclasses import asdict, dataclass
from typing import NamedTuple, Optional

import numpy as np

from . import _native
from ._native import AssayError


class Interval(NamedTuple):
    lower: float
    upper: float


@dataclass(frozen=True)
class Scores:
    """How a selection scores; None where a value is undefined (phi when no
    pair is good, psi when none is bad, p* when either is undefined or
    nothing good or bad is kept). Intervals: Wilson 95 % for phi and psi;
    for p*, the image of the box of two 97.5 % Wilson intervals."""

    pairs: int
    kept: int
    p: float
    phi: Optional[float]
    psi: Optional[float]
    p_star: Optional[float]
    phi_interval: Optional[Interval]
    psi_interval: Optional[Interval]
    p_star_interval: Optional[Interval]

    def as_dict(self) -> dict:
        """The keys and shapes of a verifier entry of the run document."""
        entry = asdict(self)
        for key in ("phi_interval", "psi_interval", "p_star_interval"):
            value = getattr(self, key)
            entry[key] = None if value is None else {"lower": value.lower, "upper": value.upper}
        return entry


def as_similarities(s) -> np.ndarray:
    """s as a contiguous 1-D float64 array: the caller's own memory when it
    already is one; a float64 array that is not contiguous is copied once;
    other arrays are refused rather than silently cast."""
    if isinstance(s, np.ndarray):
        if s.dtype != np.float64:
            raise AssayError(f"s: expected a float64 array, got {s.dtype}; convert with s.astype(numpy.float64)")
    else:
        try:  # a list or other sequence: one conversion is unavoidable
            s = np.asarray(s, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise AssayError(f"s: expected similarities in [0, 1] ({error})") from None
    if s.ndim != 1:
        raise AssayError(f"s: expected a 1-D array, got shape {s.shape}")
    return np.ascontiguousarray(s)


def as_keep_bits(q) -> np.ndarray:
    """q as a contiguous 1-D uint8 array; a bool array is viewed as uint8
    (one byte, 0 or 1) without a copy. Whether every bit is 0 or 1 is the
    library's check, so that messages name the index the same way."""
    if isinstance(q, np.ndarray):
        if q.dtype == np.bool_:
            q = q.view(np.uint8)
        elif q.dtype != np.uint8:
            raise AssayError(f"q: expected a uint8 or bool array, got {q.dtype}; convert with q.astype(numpy.uint8)")
    else:
        values = np.asarray(q)
        if values.dtype == np.bool_:
            q = values.view(np.uint8)
        elif values.size == 0:  # [] reads as float64; let the library say n = 0
            q = np.zeros(values.shape, dtype=np.uint8)
        elif values.dtype.kind in "iu":
            # Values a uint8 cannot hold would wrap; refuse them here.
            outside = np.flatnonzero((values < 0) | (values > 255))
            if outside.size:
                index = int(outside[0])
                raise AssayError(f"q[{index}] = {values[index]}: expected a keep bit, 0 or 1")
            q = values.astype(np.uint8)
        else:
            raise AssayError(f"q: expected keep bits (0 or 1, or booleans), got {values.dtype}")
    if q.ndim != 1:
        raise AssayError(f"q: expected a 1-D array, got shape {q.shape}")
    return np.ascontiguousarray(q)


def score(s, q) -> Scores:
    """Scores the selection q (keep bits: uint8 0/1 or bool) of pairs with
    similarities s (float64 in [0, 1]). numpy arrays of those dtypes are
    passed to the library without a copy. AssayError names the first bad
    value by index: "s[3] = nan: expected a similarity in [0, 1]"."""
    similarities, keep = as_similarities(s), as_keep_bits(q)
    if similarities.shape != keep.shape:
        raise AssayError(f"s has {similarities.size} values and q has {keep.size}: "
                         "expected one keep bit per similarity")
    lib = _native.library()
    out = _native.Scores(struct_size=ctypes.sizeof(_native.Scores))
    error = _native.HostError()
    status = lib.assay_score(similarities.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                             keep.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8)),
                             similarities.size, ctypes.byref(out), ctypes.byref(error))
    _native.check(status, error)

    def interval(flag, value):
        return Interval(value.lower, value.upper) if flag else None

    return Scores(
        pairs=out.pairs, kept=out.kept, p=out.p,
        phi=out.phi if out.has_phi else None,
        psi=out.psi if out.has_psi else None,
        p_star=out.p_star if out.has_p_star else None,
        phi_interval=interval(out.has_phi, out.phi_interval),
        psi_interval=interval(out.has_psi, out.psi_interval),
        p_star_interval=interval(out.has_p_star_interval, out.p_star_interval),
    )
