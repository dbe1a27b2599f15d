"""Finite-size dipolar pair fields between bars, precomputed once per geometry.

Each source bar, magnetised uniformly along its +axis, carries surface charge +Ms on its
front end face and -Ms on its back end face.  The field of those charges is integrated by
Gauss-Legendre quadrature over the source faces (width x thickness) and averaged over
Gauss-Legendre target points in three regions of the target bar: the whole bar (drives the
bulk mode) and its front and back tips (drive the edge modes).  A point dipole gives about
half the bar-averaged near-neighbour field of such a bar; this face-charge model does not.

Pairs that share the same relative geometry (every pair of a periodic lattice falls into a
handful of classes) are computed once: each neighbour entry stores an index into a small
table of fields.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from nanomag._validate import in_range, positive, positive_int
from nanomag.kernels.variants import pick, serial_and_parallel
from nanomag.lattices.base import BarArray
from nanomag.lattices.neighbors import neighbor_csr

REGIONS = ("bar", "front_tip", "back_tip")
_QUANTUM_NM = 1e-3  # geometry resolution used to recognise identical pairs, nm
_QUANTUM_RAD = 1e-9


#: Highest Gauss-Legendre order of the face-charge integration (far beyond convergence).
MAX_ORDER = 256


@dataclass(frozen=True)
class PairQuadrature:
    """Gauss-Legendre orders of the face-charge integration.

    Attributes:
        source_width, source_thickness: points across each charged end face.
        target_length, target_width: points over the target bar (and over each tip region).
        tip_fraction: length of each tip region as a fraction of the bar length.
    """

    source_width: int = 6
    source_thickness: int = 2
    target_length: int = 16
    target_width: int = 4
    tip_fraction: float = 0.15

    def __post_init__(self) -> None:
        for name in ("source_width", "source_thickness", "target_length", "target_width"):
            if positive_int(getattr(self, name), name) > MAX_ORDER:
                raise ValueError(f"{name} must be <= {MAX_ORDER}, got {getattr(self, name)!r}")
        in_range(self.tip_fraction, "tip_fraction", 0.0, 0.5, low_open=True)


@dataclass(frozen=True, eq=False)
class StrayKernel:
    """Sparse table of pair fields for one geometry.

    Attributes:
        indptr, indices: CSR neighbour list (sources of each target bar).
        kind: (nnz,) row of ``table`` holding each (target, source) pair's field.
        table: (K, 3, 2) field at the target's regions ``REGIONS`` from a source bar with
            spin +1 and Ms of the material, global in-plane (x, y) components, T.
    """

    indptr: np.ndarray
    indices: np.ndarray
    kind: np.ndarray
    table: np.ndarray

    @property
    def n_pair_classes(self) -> int:
        return self.table.shape[0]


@njit(cache=True)
def _splitmix(x):
    x = (x + np.uint64(0x9E3779B97F4A7C15))
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def _pair_key(i, j, pos, ang, dims, out):
    """Quantised relative geometry of pair (target i, source j) into out (10,) int64."""
    out[0] = np.int64(np.round((pos[j, 0] - pos[i, 0]) / _QUANTUM_NM))
    out[1] = np.int64(np.round((pos[j, 1] - pos[i, 1]) / _QUANTUM_NM))
    out[2] = np.int64(np.round((ang[i] % (2 * np.pi)) / _QUANTUM_RAD))
    out[3] = np.int64(np.round((ang[j] % (2 * np.pi)) / _QUANTUM_RAD))
    for d in range(3):
        out[4 + d] = np.int64(np.round(dims[i, d] / _QUANTUM_NM))
        out[7 + d] = np.int64(np.round(dims[j, d] / _QUANTUM_NM))


def _pair_hashes(indptr, indices, pos, ang, dims):
    n = indptr.shape[0] - 1
    out = np.empty(indices.shape[0], dtype=np.uint64)
    for i in prange(n):
        key = np.empty(10, dtype=np.int64)
        for k in range(indptr[i], indptr[i + 1]):
            _pair_key(i, indices[k], pos, ang, dims, key)
            h = np.uint64(0)
            for v in key:
                h = _splitmix(h ^ np.uint64(v))
            out[k] = h
    return out


def _keys_match(rows, indices, rep, inverse, pos, ang, dims):
    """True where each pair's quantised geometry equals that of its class representative."""
    nnz = indices.shape[0]
    ok = np.empty(nnz, dtype=np.bool_)
    for k in prange(nnz):
        a = np.empty(10, dtype=np.int64)
        b = np.empty(10, dtype=np.int64)
        r = rep[inverse[k]]
        _pair_key(rows[k], indices[k], pos, ang, dims, a)
        _pair_key(rows[r], indices[r], pos, ang, dims, b)
        ok[k] = np.all(a == b)
    return ok


def _face_charge_fields(rows, cols, pos, ang, dims, src_w, src_t, tgt_l, tgt_w, tip_fraction, ms):
    """(P, 3, 2) in-plane field, T, averaged over the target regions, for pairs (rows, cols).

    Node arrays are (n, 2): Gauss-Legendre node on [0, 1] and weight (weights sum to 1).
    Lengths in nm; the field of a face of charge density ms (A/m) is mu0 ms / (4 pi) times
    the integral of (r - r') / |r - r'|^3 dA', in which the nm units cancel.
    """
    npair = rows.shape[0]
    out = np.zeros((npair, 3, 2))
    scale = 4e-7 * np.pi * ms / (4.0 * np.pi)
    for p in prange(npair):
        i, j = rows[p], cols[p]
        ci, si = np.cos(ang[i]), np.sin(ang[i])
        cj, sj = np.cos(ang[j]), np.sin(ang[j])
        li, wi = dims[i, 0], dims[i, 1]
        lj, wj, tj = dims[j, 0], dims[j, 1], dims[j, 2]
        for region in range(3):
            x0, x1 = -0.5 * li, 0.5 * li
            if region == 1:
                x0 = (0.5 - tip_fraction) * li
            elif region == 2:
                x1 = (tip_fraction - 0.5) * li
            bx = 0.0
            by = 0.0
            for a in range(tgt_l.shape[0]):
                xt = x0 + (x1 - x0) * tgt_l[a, 0]
                for b in range(tgt_w.shape[0]):
                    yt = wi * (tgt_w[b, 0] - 0.5)
                    px = pos[i, 0] + xt * ci - yt * si
                    py = pos[i, 1] + xt * si + yt * ci
                    w_target = tgt_l[a, 1] * tgt_w[b, 1]
                    for face in range(2):
                        sign = 1.0 if face == 0 else -1.0
                        fx = pos[j, 0] + sign * 0.5 * lj * cj
                        fy = pos[j, 1] + sign * 0.5 * lj * sj
                        for u in range(src_w.shape[0]):
                            uu = wj * (src_w[u, 0] - 0.5)
                            dx = px - (fx - uu * sj)
                            dy = py - (fy + uu * cj)
                            for v in range(src_t.shape[0]):
                                zz = tj * (src_t[v, 0] - 0.5)
                                r2 = dx * dx + dy * dy + zz * zz
                                q = sign * w_target * src_w[u, 1] * src_t[v, 1] * wj * tj
                                q /= r2 * np.sqrt(r2)
                                bx += q * dx
                                by += q * dy
            out[p, region, 0] = scale * bx
            out[p, region, 1] = scale * by
    return out


#: Serial and parallel builds of the pair kernels (see :mod:`nanomag.kernels.variants`).
PAIR_HASHES = serial_and_parallel(_pair_hashes)
KEYS_MATCH = serial_and_parallel(_keys_match)
FACE_CHARGE_FIELDS = serial_and_parallel(_face_charge_fields)
#: A face-charge pair integral costs about as much as this many per-bar kernel items.
_FACE_CHARGE_COST = 20


def _gauss_legendre01(n: int) -> np.ndarray:
    """(n, 2) Gauss-Legendre nodes on [0, 1] and weights summing to 1."""
    x, w = np.polynomial.legendre.leggauss(n)
    return np.stack([0.5 * (x + 1.0), 0.5 * w], axis=1)


def _pair_classes(indptr, indices, pos, ang, dims):
    """Class index per neighbour entry and one representative entry per class."""
    rows = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
    hashes = pick(PAIR_HASHES, indices.size)(indptr, indices, pos, ang, dims)
    _, rep, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    inverse = inverse.astype(np.int64)
    keys_match = pick(KEYS_MATCH, indices.size)
    if not np.all(keys_match(rows, indices, rep.astype(np.int64), inverse, pos, ang, dims)):
        # a hash collision joined two different geometries: give every entry its own class
        rep, inverse = np.arange(indices.size), np.arange(indices.size)
    return rows, rep, inverse


def face_charge_pair_fields(
    geometry: BarArray,
    Ms: float,
    rows: np.ndarray,
    cols: np.ndarray,
    quadrature: PairQuadrature = PairQuadrature(),
) -> np.ndarray:
    """Field of source bars ``cols`` (spin +1) at target bars ``rows``.

    Args:
        geometry: the bar array (nm).
        Ms: saturation magnetisation, A/m.
        rows, cols: (P,) target and source bar indices.
        quadrature: integration orders and tip-region size.

    Returns:
        (P, 3, 2) global in-plane field components, T, averaged over the target regions
        ``REGIONS`` (whole bar, front tip, back tip).
    """
    dims = np.stack([geometry.lengths, geometry.widths, geometry.thickness], axis=1)
    return pick(FACE_CHARGE_FIELDS, np.size(rows) * _FACE_CHARGE_COST)(
        np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
        geometry.positions, geometry.angles, dims,
        _gauss_legendre01(quadrature.source_width), _gauss_legendre01(quadrature.source_thickness),
        _gauss_legendre01(quadrature.target_length), _gauss_legendre01(quadrature.target_width),
        quadrature.tip_fraction, positive(Ms, "Ms"),
    )


def source_pair_fields(
    geometry: BarArray,
    Ms: float,
    indptr: np.ndarray,
    indices: np.ndarray,
    quadrature: PairQuadrature = PairQuadrature(),
) -> np.ndarray:
    """Bar-averaged face-charge field over a neighbour list whose rows are *source* bars.

    Returns (nnz, 2): the field, T, averaged over bar ``indices[k]`` from the source bar of
    row ``k`` with spin +1 (the layout of the spin-ice engine's coupling).  Pairs of the same
    relative geometry are integrated once.
    """
    if indices.size == 0:
        return np.zeros((0, 2))
    dims = np.stack([geometry.lengths, geometry.widths, geometry.thickness], axis=1)
    sources, rep, inverse = _pair_classes(indptr, indices, geometry.positions,
                                          geometry.angles, dims)
    table = face_charge_pair_fields(geometry, Ms, indices[rep], sources[rep], quadrature)
    return np.ascontiguousarray(table[inverse, 0, :])


def build_stray_kernel(
    geometry: BarArray,
    Ms: float,
    cutoff: float = 1.0,
    quadrature: PairQuadrature = PairQuadrature(),
) -> StrayKernel:
    """Precompute the pair fields of every bar pair closer than ``cutoff``.

    Args:
        geometry: the bar array (nm).
        Ms: saturation magnetisation, A/m.
        cutoff: neighbour cutoff between bar centres, in lattice spacings.
        quadrature: integration orders and tip-region size.
    """
    cutoff = positive(cutoff, "cutoff")
    indptr, indices = neighbor_csr(geometry.positions, cutoff * geometry.lattice_spacing)
    geometry.check_separated(indptr, indices)
    dims = np.stack([geometry.lengths, geometry.widths, geometry.thickness], axis=1)
    if indices.size == 0:
        return StrayKernel(indptr, indices, np.zeros(0, np.int64), np.zeros((0, 3, 2)))
    rows, rep, inverse = _pair_classes(indptr, indices, geometry.positions, geometry.angles, dims)
    table = face_charge_pair_fields(geometry, Ms, rows[rep], indices[rep], quadrature)
    return StrayKernel(indptr, indices, inverse, table)


def _stray_fields(indptr, indices, kind, table, moment):
    """(N, 3, 2) neighbour field, T, at each bar's regions for source moments ``moment`` (N,)
    (spin, 0 for a vortex bar)."""
    n = indptr.shape[0] - 1
    out = np.zeros((n, 3, 2))
    for i in prange(n):
        for k in range(indptr[i], indptr[i + 1]):
            m = moment[indices[k]]
            if m != 0.0:
                row = table[kind[k]]
                for r in range(3):
                    out[i, r, 0] += m * row[r, 0]
                    out[i, r, 1] += m * row[r, 1]
    return out


stray_fields, stray_fields_parallel = serial_and_parallel(_stray_fields)
