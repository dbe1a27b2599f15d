"""Optional FMR model: collective modes of the dynamically coupled bar array.

Linearised dynamics about the equilibrium of every macrospin bar (physics background 2.5).
With ``delta m_i = x_i u_i + y_i z`` (``u_i`` the in-plane unit vector 90 deg counter-clockwise
from the equilibrium moment) ``dx/dt = gamma C y`` and ``dy/dt = -gamma A x``, with

    A_ij = B1_i delta_ij - s u_i . K_ij . u_j,    C_ij = B2_i delta_ij,
    K_ij = mu0 Ms sqrt(V_i V_j) (3 r^ r^T - 1) / (4 pi r_ij^3)

so ``omega^2 = gamma^2 eig(S)`` with the symmetric ``S = C^1/2 A C^1/2``.  ``B1``, ``B2`` and
the equilibrium angles are the calibrated Smit-Beljers quantities of the independent model's
bulk line (same bias and face-charge stray field).  ``K`` is the point-dipole tensor over the
stray-field neighbour list, in coordinates scaled by ``sqrt(V)`` so that it is symmetric for
unequal volumes; ``s`` is ``coupling_scale`` (0 switches the dynamic coupling off).  The
out-of-plane coupling ``(K_ij)_zz = -mu0 Ms sqrt(V_i V_j) / (4 pi r^3)`` is left out of ``C``
(C taken diagonal): it is about 1e-3 of ``B2`` for 600 x 150 x 20 nm bars at 800 nm spacing.

The absorption is the spectral density of ``S`` projected on
``b_i = sqrt(bulk_weight v_i) (h_rf . u_i)`` (``v_i`` the relative volume): the drive
``C^1/2 h`` of the linear equations with the uniform factor ``sqrt(B2_i)`` divided out, so
that with the coupling off every mode carries exactly the independent model's bulk-line
weight.  A mode ``k`` (eigenvector ``e_k``) is a Lorentzian at ``gamma/2pi sqrt(lambda_k)``
of weight ``(e_k . b)^2`` and of the participation-weighted width ``sum_i e_ki^2 FWHM_i``.
Edge lines and vortex bars are added as in the independent model; vortex bars and bars whose
branch has no stable minimum take no part in the coupled problem.

Solvers: ``"dense"`` diagonalises ``S`` (exact, O(N^3)); ``"kpm"`` expands the projected
density in Chebyshev polynomials (Jackson kernel, ``n_moments`` sparse products, linear in N)
and evaluates it on ``2 n_moments`` nodes, each a line whose width is the ratio of the
width-weighted and plain densities there.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp

from nanomag._validate import check_memory, choice, in_range, positive_int
from nanomag.fmr.kittel import kittel_mode
from nanomag.fmr.kpm import chebyshev_moments, node_weights
from nanomag.fmr.line_tables import table_values
from nanomag.fmr.spectrum import FMRReadout
from nanomag.lattices.base import BarArray
from nanomag.materials import MU0

Solver = Literal["kpm", "dense"]
_BOUND_PAD = 0.01  # relative margin on the Gershgorin bounds of the spectrum
_DENSE_MAX_BARS = 20_000  # dense eigh beyond this needs > 3 GB and minutes


def pair_geometry(geometry: BarArray, indptr: np.ndarray, indices: np.ndarray,
                  Ms: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, unit separations and point-dipole prefactors of the neighbour pairs.

    Returns:
        ``rows`` (nnz,) target bar of each entry (its source is ``indices``), ``rhat``
        (nnz, 2) unit vector from source to target, and ``prefactor`` (nnz,)
        ``mu0 Ms sqrt(V_i V_j) / (4 pi r^3)`` in T (bar volumes V in m^3, r in m).
    """
    rows = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
    sep = (geometry.positions[rows] - geometry.positions[indices]) * 1e-9
    dist = np.hypot(sep[:, 0], sep[:, 1])
    vol = geometry.volumes
    prefactor = MU0 * Ms * np.sqrt(vol[rows] * vol[indices]) / (4 * np.pi * dist**3)
    return rows, sep / dist[:, None], prefactor


def dynamic_matrix(b1, b2, theta, rows, cols, rhat, prefactor, coupling_scale=1.0):
    """Sparse symmetric ``S = C^1/2 A C^1/2`` (T^2) of the bars listed in ``b1``.

    Args:
        b1, b2: (n,) Smit-Beljers stiffnesses, T (all > 0).
        theta: (n,) equilibrium moment angles, rad from +x.
        rows, cols: (p,) pair indices into the n bars (both orders of each pair).
        rhat: (p, 2) unit separations; prefactor: (p,) point-dipole prefactor, T.
        coupling_scale: factor on the dynamic coupling.

    Returns:
        CSR (n, n) matrix with eigenvalues ``(omega / gamma)^2``.
    """
    u = np.stack([-np.sin(theta), np.cos(theta)], axis=1)
    ui, uj = u[rows], u[cols]
    tensor = (3 * np.einsum("pk,pk->p", ui, rhat) * np.einsum("pk,pk->p", uj, rhat)
              - np.einsum("pk,pk->p", ui, uj))
    root = np.sqrt(b2)
    off = -coupling_scale * prefactor * tensor * root[rows] * root[cols]
    n = b1.size
    diag = np.arange(n)
    return sp.csr_matrix((np.concatenate([b1 * b2, off]),
                          (np.concatenate([diag, rows]), np.concatenate([diag, cols]))),
                         shape=(n, n))


def dense_modes(s: sp.csr_matrix, b: np.ndarray, fwhm: np.ndarray):
    """Eigenvalues (T^2), weights ``(e_k . b)^2`` and widths ``sum_i e_ki^2 fwhm_i`` (Hz)."""
    lam, vec = np.linalg.eigh(s.toarray())
    return lam, (vec.T @ b) ** 2, (vec**2).T @ fwhm


def kpm_modes(s: sp.csr_matrix, b: np.ndarray, fwhm: np.ndarray, n_moments: int):
    """KPM analogue of :func:`dense_modes`: node eigenvalues, weights and widths.

    The spectrum is bounded by Gershgorin discs (padded by 1 %), rescaled into [-1, 1] and
    the densities of ``b`` and of ``(fwhm b, b)`` are evaluated on ``2 n_moments`` nodes.
    """
    diag = s.diagonal()
    radius = np.abs(s).sum(axis=1).A1 - np.abs(diag)
    lo, hi = np.min(diag - radius), np.max(diag + radius)
    centre = 0.5 * (hi + lo)
    half = 0.5 * (hi - lo) * (1 + _BOUND_PAD) + _BOUND_PAD * abs(centre)
    scaled = ((s - centre * sp.identity(s.shape[0], format="csr")) / half).tocsr()
    scaled.sort_indices()
    moments = chebyshev_moments(scaled.indptr.astype(np.int64), scaled.indices.astype(np.int64),
                                scaled.data, b, np.stack([b, fwhm * b]), n_moments)
    x, w = node_weights(moments, 2 * n_moments)
    weight = np.maximum(w[:, 0], 0.0)
    keep = weight > 1e-12 * max(moments[0, 0], np.finfo(float).tiny)
    width = np.clip(w[keep, 1] / weight[keep], fwhm.min(), fwhm.max())
    return centre + half * x[keep], weight[keep], width


#: Largest accepted factor on the dynamic coupling (1 is the physical point-dipole value).
MAX_COUPLING_SCALE = 100.0


class CollectiveFMR(FMRReadout):
    """FMR readout with the collective modes of the coupled array (optional model).

    Same arguments, ``prepare`` / ``spectrum`` / ``spectra`` API and DataArray output as
    :class:`~nanomag.fmr.spectrum.FMRReadout` (the default, independent bars), plus:

    Args:
        solver: ``"kpm"`` (Chebyshev kernel-polynomial density, linear in N) or ``"dense"``
            (exact diagonalisation, O(N^3): up to a few thousand bars; refused above
            20,000).
        n_moments: Chebyshev moments of the KPM solver; the resolution in ``(f / gamma)^2``
            is about ``pi / n_moments`` of the spectral half width (512: about 0.02 GHz).
        coupling_scale: factor on the dynamic dipolar coupling, in [0,
            :data:`MAX_COUPLING_SCALE`] (0: independent bars).
        **kwargs: the arguments of ``FMRReadout`` (``cutoff`` also bounds the dynamic
            coupling).

    ``lines(spin, vortex, bias_field)`` returns flat (L,) arrays: the collective modes
    (``dense``) or density nodes (``kpm``), then the edge and vortex lines.
    """

    model_name = "collective modes (point-dipole dynamic coupling), face-charge stray field"

    def __init__(self, frequencies, *, solver: Solver = "kpm", n_moments: int = 512,
                 coupling_scale: float = 1.0, **kwargs) -> None:
        super().__init__(frequencies, **kwargs)
        choice(solver, ("kpm", "dense"), "solver")
        self.solver = solver
        self.n_moments = positive_int(n_moments, "n_moments")
        # moments, nodes and node lines of three densities, float64
        check_memory(self.n_moments, 256, "n_moments", "Chebyshev moments")
        self.coupling_scale = in_range(coupling_scale, "coupling_scale", 0.0, MAX_COUPLING_SCALE)

    def prepare(self, geometry: BarArray) -> CollectiveFMR:
        """Precompute the stray-field table and the dipolar pair geometry of ``geometry``."""
        if (self.solver == "dense" and isinstance(geometry, BarArray)
                and geometry.n_bars > _DENSE_MAX_BARS):
            raise ValueError(f"solver 'dense' is limited to {_DENSE_MAX_BARS} bars (O(N^3)); "
                             f"got {geometry.n_bars}, use solver='kpm'")
        super().prepare(geometry)
        k = self.stray_kernel
        self._rows, self._rhat, self._prefactor = pair_geometry(
            geometry, k.indptr, k.indices, self.material.Ms)
        return self

    def _equilibrium(self, s, stray, bias) -> dict[str, np.ndarray]:
        """Smit-Beljers angle and stiffnesses of every bar's bulk mode (see ``kittel_mode``),
        ``B1`` scaled so that ``sqrt(B1 B2)`` carries the readout's axial correction."""
        g = self.geometry
        c, sn = np.cos(g.angles), np.sin(g.angles)
        bx, by = bias[0] + stray[:, 0, 0], bias[1] + stray[:, 0, 1]
        mode = kittel_mode(bx * c + by * sn, -bx * sn + by * c, s,
                           np.stack([self._nx, self._ny, self._nz], axis=1), self.material)
        # the axial correction of the bulk line (as in the independent readout), on B1
        ratio = table_values(self._tables["bulk_ratio"], self._table_row,
                             *self._tables["grid"], s * (bx * c + by * sn))
        mode["b1"] = mode["b1"] * np.where(ratio > 0, ratio * ratio, 1.0)
        return mode

    def _modes(self, active, mode, fwhm) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Eigenvalues (T^2), weights and widths (Hz) of the coupled ``active`` bars."""
        if not active.any():
            return np.zeros(0), np.zeros(0), np.zeros(0)
        theta = self.geometry.angles + mode["phi"]
        rf = self._rf_vector()
        drive = (np.sqrt(self.modes.bulk_weight * self._weight)
                 * (rf[1] * np.cos(theta) - rf[0] * np.sin(theta)))[active]
        index = np.cumsum(active) - 1
        sources = self.stray_kernel.indices
        pairs = active[self._rows] & active[sources]
        matrix = dynamic_matrix(mode["b1"][active], mode["b2"][active], theta[active],
                                index[self._rows[pairs]], index[sources[pairs]],
                                self._rhat[pairs], self._prefactor[pairs], self.coupling_scale)
        if self.solver == "dense":
            return dense_modes(matrix, drive, fwhm)
        return kpm_modes(matrix, drive, fwhm, self.n_moments)

    def _lines(self, s, v, stray, bias) -> dict[str, np.ndarray]:
        single = super()._lines(s, v, stray, bias)
        mode = self._equilibrium(s, stray, bias)
        active = (v == 0) & (mode["b1"] > 0)  # macrospins on a stable branch
        lam, weight, width = self._modes(active, mode, single["fwhm"][active, 0])
        stable = lam > 0  # a soft collective mode (lambda <= 0) has no resonance
        rest = single["weight"].copy()
        rest[active, 0] = 0.0  # bulk lines are replaced by the collective modes
        keep = rest > 0
        return {
            "frequency": np.concatenate([self.material.gamma_over_2pi * np.sqrt(lam[stable]),
                                         single["frequency"][keep]]),
            "fwhm": np.concatenate([width[stable], single["fwhm"][keep]]),
            "weight": np.concatenate([weight[stable], rest[keep]]),
        }

    def _series(self, s, v, biases, step) -> np.ndarray:
        # One sparse eigen-problem per time step (milliseconds or more each): the loop over
        # time steps costs nothing beside it.
        out = np.empty((s.shape[0], self.frequencies.size))
        derivative = bool(np.any(step))
        for t in range(s.shape[0]):
            stray = self._stray(s[t], v[t])
            upper = self._sum(self._lines(s[t], v[t], stray, biases[t] + step))
            if derivative:
                lower = self._sum(self._lines(s[t], v[t], stray, biases[t] - step))
                upper = (upper - lower) / (2 * np.linalg.norm(step))
            out[t] = upper
        return out
