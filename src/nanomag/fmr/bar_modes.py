"""Spin-wave modes of a single bar: a linearised micromagnetic (dynamic-matrix) solver.

The bar is one layer of ``nx`` x ``ny`` cells (about ``cell_nm`` in plane, the full thickness
through it), with exchange and the exact cell-to-cell demagnetising tensor
(:func:`nanomag.fmr.demag.cell_grid_tensor`).  In a field ``B`` along the bar (T; negative:
the antiparallel branch) the static state is the in-plane minimum of the energy reached from a
uniform 0.1 rad tilt (the S-shaped end domains included), and its small oscillations solve

    d phi / dt = gamma Z psi,    d psi / dt = -gamma P phi,

with ``phi``, ``psi`` the in-plane and out-of-plane tilts of each cell from its static
direction and ``P``, ``Z`` the Hessians of the energy per moment (T).  The mode frequencies
are ``gamma / 2 pi`` times the square roots of the eigenvalues of ``P^1/2 Z P^1/2``.  The
state and the uniform excitation are even under the bar's 180-degree rotation, so only the
even modes are excited; the solver works in that half of the space.

A uniform in-plane tilt of the static state (the excitation of a uniform rf field, and the
kick of a ringdown) excites mode ``n`` with amplitude ``(P^1/2 u_n) . 1``; the bar's *bulk*
line is the mode of largest bar-averaged ``m_y``, its *edge* line the lowest mode more than
``EDGE_GAP_HZ`` below it whose ``m_y`` averaged over the outer ``END_NM`` of both ends has at
least ``EDGE_REL`` of the strongest such mode's power (the fundamental end mode).  These are
the rules by which ``validation/magnumnp_geometry_grid.py`` reads magnum.np ringdowns of the
same bars, which this solver reproduces (``docs/fmr.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.fft import irfft2, rfft2
from scipy.linalg import LinAlgError, cholesky, eigh, solve_triangular
from scipy.optimize import minimize

from nanomag._threads import one_blas_thread
from nanomag._validate import as_float_array, instance_of, positive, real
from nanomag.fmr.demag import cell_grid_tensor
from nanomag.fmr.ringdown import DURATION_S, SAMPLE_S, strongest_line
from nanomag.materials import MU0, PERMALLOY, Material

START_TILT_RAD = 0.1  # the static state is relaxed from this uniform in-plane tilt
END_NM = 40.0  # end region of each end over which the edge line is read, nm
EDGE_GAP_HZ = 1e9  # the edge line lies at least this far below the bulk line
EDGE_REL = 0.3  # an end mode with this share of the strongest one's power is a line
MIN_MX = 0.8  # a relaxed mean m_x below this: the bar has left its branch
MAX_CELLS = 10000  # the dense solver's size limit (memory ~ 80 bytes x cells^2)


@dataclass(frozen=True)
class BarModes:
    """Linear modes of a bar at one field.

    Attributes:
        frequencies: (K,) mode frequencies, Hz, increasing (the modes even under the bar's
            180-degree rotation).
        b_sum: (K,) ``B1 + B2`` of each mode, T: its Lorentzian full width is
            ``damping * gamma/2pi * b_sum``, as for a macrospin.
        my: (nx, ny, K) ``m_y`` of each mode in each cell per unit uniform tilt (the
            amplitude a uniform rf field or kick gives it).
        angles: (nx, ny) static in-plane angle of each cell from the bar axis, rad.
        mean_mx: the static state's mean ``m_x``.
    """

    frequencies: np.ndarray
    b_sum: np.ndarray
    my: np.ndarray
    angles: np.ndarray
    mean_mx: float


@dataclass(frozen=True)
class BarLines:
    """The bulk and edge lines of a bar at one field (Hz; NaN where there is none) and their
    ``B1 + B2`` (T); ``mean_mx`` of the static state."""

    bulk: float
    bulk_b_sum: float
    edge: float
    edge_b_sum: float
    mean_mx: float


@dataclass(frozen=True)
class BarModeSolver:
    """Linearised micromagnetic modes of a ``length`` x ``width`` x ``thickness`` (nm) bar.

    Attributes:
        length, width, thickness: bar size, nm (x along the bar, y across, z out of plane).
        material: Ms, A and gamma/2pi.
        cell_nm: target in-plane cell size, nm (each side is divided into a whole number of
            cells); 10 nm resolves the end modes (``docs/fmr.md``).
    """

    length: float
    width: float
    thickness: float
    material: Material = PERMALLOY
    cell_nm: float = 10.0
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("length", "width", "thickness", "cell_nm"):
            positive(getattr(self, name), name)
        instance_of(self.material, Material, "material")
        if self.cells[0] * self.cells[1] > MAX_CELLS:
            raise ValueError(f"a {self.length:g} x {self.width:g} nm bar at {self.cell_nm:g} nm "
                             f"cells has {self.cells[0] * self.cells[1]} cells, more than the "
                             f"mode solver's {MAX_CELLS}; raise cell_nm")

    @property
    def cells(self) -> tuple[int, int]:
        """(nx, ny) cells along and across the bar."""
        return (max(1, round(self.length / self.cell_nm)),
                max(1, round(self.width / self.cell_nm)))

    def _setup(self) -> dict:
        """Tensor, its FFT and the constants, built once per solver."""
        if "tensor" not in self._cache:
            nx, ny = self.cells
            dx, dy = self.length / nx, self.width / ny
            tensor = cell_grid_tensor(nx, ny, dx, dy, self.thickness)
            shape = (2 * nx, 2 * ny)
            spectra = {}
            for key, value in tensor.items():
                padded = np.zeros(shape)
                padded[:2 * nx - 1, :2 * ny - 1] = value
                spectra[key] = rfft2(np.roll(padded, (1 - nx, 1 - ny), axis=(0, 1)))
            two_a_ms = 2 * self.material.exchange / self.material.Ms
            self._cache.update(tensor=tensor, spectra=spectra, shape=shape,
                               mu0ms=MU0 * self.material.Ms,
                               exchange=(two_a_ms / (dx * 1e-9) ** 2, two_a_ms / (dy * 1e-9) ** 2))
        return self._cache

    def _demag(self, mx: np.ndarray, my: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """In-plane demagnetising field (T) of the in-plane state ``(mx, my)``: the
        convolution with the cell tensor, by FFT of the zero-padded grid."""
        s = self._setup()
        nx, ny = self.cells
        spectra = []
        for m in (mx, my):
            padded = np.zeros(s["shape"])
            padded[:nx, :ny] = m
            spectra.append(rfft2(padded))
        k = s["spectra"]
        return tuple(-s["mu0ms"] * irfft2(a * spectra[0] + b * spectra[1],
                                          s=s["shape"])[:nx, :ny]
                     for a, b in ((k["xx"], k["xy"]), (k["xy"], k["yy"])))

    def _neighbours(self, v: np.ndarray) -> np.ndarray:
        """Exchange field of a component ``v`` (T per unit m): sum over the neighbours."""
        ex, ey = self._setup()["exchange"]
        out = np.zeros_like(v)
        out[1:] += ex * v[:-1]
        out[:-1] += ex * v[1:]
        out[:, 1:] += ey * v[:, :-1]
        out[:, :-1] += ey * v[:, 1:]
        return out

    def effective_field(self, angles: np.ndarray, field_t: float) -> tuple[np.ndarray, ...]:
        """(B_x, B_y) effective field (T) in each cell of the in-plane state ``angles``:
        demagnetising, exchange (the neighbour sum) and ``field_t`` along the bar."""
        mx, my = np.cos(angles), np.sin(angles)
        hx, hy = self._demag(mx, my)
        return field_t + hx + self._neighbours(mx), hy + self._neighbours(my)

    def _energy(self, flat: np.ndarray, field_t: float) -> tuple[float, np.ndarray]:
        """Energy per moment summed over cells (T, up to a constant) and its gradient."""
        angles = flat.reshape(self.cells)
        mx, my = np.cos(angles), np.sin(angles)
        bx, by = self.effective_field(angles, field_t)
        # the interactions are quadratic in m: half of their field, all of the applied one
        energy = -0.5 * np.sum(mx * (bx - field_t) + my * by) - field_t * mx.sum()
        return float(energy), (mx * by - my * bx).ravel() * -1.0

    def _state(self, angles, name: str) -> np.ndarray:
        """``angles`` checked as an (nx, ny) array of finite in-plane angles, rad."""
        return as_float_array(angles, name, self.cells)

    @one_blas_thread
    def relax(self, field_t: float, start: np.ndarray | None = None) -> np.ndarray:
        """(nx, ny) static in-plane angles (rad) in a field ``field_t`` (T) along the bar,
        relaxed from ``start`` (default: a uniform ``START_TILT_RAD`` tilt)."""
        field_t = real(field_t, "field_t")
        x0 = (np.full(self.cells, START_TILT_RAD) if start is None
              else self._state(start, "start")).ravel()
        result = minimize(self._energy, x0, args=(float(field_t),), jac=True, method="L-BFGS-B",
                          options={"maxiter": 20000, "gtol": 1e-9, "ftol": 1e-15,
                                   "maxcor": 30})
        return result.x.reshape(self.cells)

    def _interactions(self) -> dict:
        """Field-independent parts of the Hessians, as the first ``h`` rows (the even space
        needs no more): the tensor elements and the exchange couplings (T per unit m), and
        the out-of-plane Hessian's off-diagonal part folded onto the even space."""
        s = self._setup()
        if "rows" not in s:
            nx, ny = self.cells
            n = nx * ny
            h = (n + 1) // 2
            ix, iy = np.divmod(np.arange(n), ny)
            di = ix[:h, None] - ix[None, :] + nx - 1
            dj = iy[:h, None] - iy[None, :] + ny - 1
            ex, ey = s["exchange"]
            neighbour = (np.where((np.abs(di - nx + 1) == 1) & (dj == ny - 1), ex, 0.0)
                         + np.where((np.abs(dj - ny + 1) == 1) & (di == nx - 1), ey, 0.0))
            rows = {key: s["mu0ms"] * s["tensor"][key][di, dj] for key in ("xx", "yy", "xy")}
            s.update(rows=rows, neighbour=neighbour,
                     z=_fold_rows(s["mu0ms"] * s["tensor"]["zz"][di, dj] - neighbour))
        return s

    def _hessians(self, angles: np.ndarray, field_t: float) -> tuple[np.ndarray, np.ndarray]:
        """In-plane (P) and out-of-plane (Z) Hessians (T) at the static state ``angles``,
        folded onto the even space (:func:`_fold_rows`)."""
        s = self._interactions()
        h = s["z"].shape[0]
        bx, by = self.effective_field(angles, field_t)
        theta = angles.ravel()
        c, sn = np.cos(theta), np.sin(theta)
        b_par = (c * bx.ravel() + sn * by.ravel())[:h]
        rows = s["rows"]
        p = (np.outer(sn[:h], sn) * rows["xx"] + np.outer(c[:h], c) * rows["yy"]
             - (np.outer(sn[:h], c) + np.outer(c[:h], sn)) * rows["xy"]
             - s["neighbour"] * np.cos(theta[:h, None] - theta[None, :]))
        p = _fold_rows(p)
        z = s["z"].copy()
        # the diagonal: each cell's field along its moment (a centre cell is its own pair)
        p[np.diag_indices(h)] += b_par
        z[np.diag_indices(h)] += b_par
        return p, z

    def modes(self, field_t: float, angles: np.ndarray | None = None) -> BarModes:
        """Linear modes at ``field_t`` (T along the bar) about the static state ``angles``
        (default: :meth:`relax`).  The last result is kept, so :meth:`lines` and
        :meth:`ringdown` of the same state solve it once."""
        field_t = real(field_t, "field_t")
        angles = self.relax(field_t) if angles is None else self._state(angles, "angles")
        key = (field_t, angles.tobytes())
        last = self._cache.get("last_modes")
        if last is None or last[0] != key:
            last = (key, self._solve_modes(field_t, angles))
            self._cache["last_modes"] = last
        return last[1]

    @one_blas_thread
    def _solve_modes(self, field_t: float, angles: np.ndarray) -> BarModes:
        p, z = self._hessians(angles, field_t)
        n = angles.size
        norm = _even_norm(n)
        try:  # P = L L^T; Z P is similar to the symmetric L^T Z L
            chol = cholesky(p, lower=True)
        except LinAlgError:
            raise RuntimeError(f"the static state of the {self.length:g} x {self.width:g} x "
                               f"{self.thickness:g} nm bar at {field_t * 1e3:g} mT is unstable"
                               ) from None
        b1b2, u = eigh(chol.T @ z @ chol, driver="evd")
        phi = solve_triangular(chol.T, u)  # right eigenvectors, with phi^T P phi = 1
        excitation = (chol @ u).T @ (1.0 / norm)  # projection of the uniform tilt
        b1 = 1.0 / np.einsum("in,in->n", phi, phi)
        b1b2 = np.clip(b1b2, 0.0, None)
        full = _even_to_full(phi * norm[:, None], n)
        my = np.cos(angles).ravel()[:, None] * full * excitation[None, :]
        gamma = self.material.gamma_over_2pi
        return BarModes(frequencies=gamma * np.sqrt(b1b2), b_sum=b1 + b1b2 / b1,
                        my=my.reshape(*self.cells, -1), angles=angles,
                        mean_mx=float(np.cos(angles).mean()))

    def end_cells(self) -> int:
        """Columns of cells within ``END_NM`` of each end."""
        return max(1, round(END_NM * self.cells[0] / self.length))

    def end_mx(self, angles: np.ndarray) -> float:
        """Mean ``m_x`` of the outer ``END_NM`` of both ends of the state ``angles``."""
        n_end = self.end_cells()
        mx = np.cos(angles)
        return float(0.5 * (mx[:n_end].mean() + mx[-n_end:].mean()))

    def lines(self, field_t: float, angles: np.ndarray | None = None) -> BarLines:
        """Bulk and edge lines at ``field_t`` (T along the bar): see the module docstring.
        NaN where the bar has left its branch (mean ``m_x`` below ``MIN_MX``)."""
        m = self.modes(field_t, angles)
        if m.mean_mx < MIN_MX:
            return BarLines(np.nan, np.nan, np.nan, np.nan, m.mean_mx)
        bar = m.my.mean(axis=(0, 1)) ** 2
        bulk = int(np.argmax(bar))
        n_end = self.end_cells()
        end = (0.5 * (m.my[:n_end].mean(axis=(0, 1)) + m.my[-n_end:].mean(axis=(0, 1)))) ** 2
        lower = np.flatnonzero(m.frequencies < m.frequencies[bulk] - EDGE_GAP_HZ)
        edge = (lower[np.argmax(end[lower] >= EDGE_REL * end[lower].max())]
                if lower.size else None)
        return BarLines(float(m.frequencies[bulk]), float(m.b_sum[bulk]),
                        np.nan if edge is None else float(m.frequencies[edge]),
                        np.nan if edge is None else float(m.b_sum[edge]), m.mean_mx)

    def ringdown(self, field_t: float, duration_s: float, sample_s: float, damping: float,
                 angles: np.ndarray | None = None) -> np.ndarray:
        """(steps, nx) ``m_y`` per column of cells (averaged across the bar) after a unit
        uniform tilt at ``field_t`` (T), sampled every ``sample_s`` (s) for ``duration_s``,
        each mode decaying at ``damping * gamma * b_sum / 2``: the trace a time-domain solver
        records."""
        m = self.modes(field_t, angles)
        t = np.arange(round(duration_s / sample_s)) * sample_s
        decay = 0.5 * damping * 2 * np.pi * self.material.gamma_over_2pi * m.b_sum
        oscillation = (np.cos(2 * np.pi * m.frequencies[None, :] * t[:, None])
                       * np.exp(-decay[None, :] * t[:, None]))
        return oscillation @ m.my.mean(axis=1).T

    def ringdown_bulk(self, field_t: float, angles: np.ndarray | None = None) -> float:
        """The bulk line (Hz) as a ringdown shows it: the strongest peak of the bar-averaged
        :meth:`ringdown` of ``DURATION_S`` at the material's damping, read by the rules of
        :mod:`nanomag.fmr.ringdown` (modes closer than about 0.5 GHz read as one line, as
        in the magnum.np references); NaN where the bar has left its branch."""
        angles = self.relax(field_t) if angles is None else angles
        if np.cos(angles).mean() < MIN_MX:
            return float("nan")
        trace = self.ringdown(field_t, DURATION_S, SAMPLE_S, self.material.damping, angles)
        return strongest_line(trace.mean(axis=1), SAMPLE_S)


def _even_norm(n: int) -> np.ndarray:
    """Entries of the orthonormal basis of the space of vectors even under ``i -> n - 1 - i``
    (the 180-degree rotation of a row-major cell grid): ``(e_i + e_{n-1-i}) / sqrt 2``, and
    ``e_i`` for a centre cell."""
    norm = np.full((n + 1) // 2, np.sqrt(0.5))
    if n % 2:
        norm[-1] = 1.0
    return norm


def _fold_rows(rows: np.ndarray) -> np.ndarray:
    """The (h, h) matrix, in the basis of :func:`_even_norm`, of an (n, n) matrix invariant
    under the rotation, given its first ``h = (n + 1) // 2`` rows."""
    h, n = rows.shape
    # by the rotation's invariance (b_i . M b_j) = M_ij + M_i,n-1-j for pairs i, j, and a
    # centre cell (its own partner, counted twice in that sum) takes a factor 1 / sqrt 2
    scale = np.ones(h)
    if n % 2:
        scale[-1] = np.sqrt(0.5)
    return scale[:, None] * (rows[:, :h] + rows[:, ::-1][:, :h]) * scale[None, :]


def _even_to_full(x: np.ndarray, n: int) -> np.ndarray:
    """(n, K) full vectors of even-space coordinates already scaled by ``norm``."""
    return np.concatenate([x, x[: n // 2][::-1]], axis=0)
