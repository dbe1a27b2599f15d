"""The FMR readout: absorption spectrum of a bar-array microstate at a set of bias fields.

Default model: independent bars.  Each macrospin bar contributes a bulk line (geometry-true
Smit-Beljers/Kittel resonance in the bias plus the bar-averaged face-charge stray field of its
neighbours) and two edge lines (driven by the field at its tips); a vortex bar contributes its
own lines and no stray field.  Lines are Lorentzians of width ``damping * gamma/2pi (B1 + B2)``
plus an inhomogeneous width, weighted by bar volume and by the coupling ``sin^2`` of the angle
between the rf field and the moment.  Static dipolar shifts (up to about +-1 GHz) exceed the
dynamic (hybridisation) coupling of neighbouring bars (about 0.15 GHz, below the linewidth), so
this is the default; ``nanomag.fmr.collective.CollectiveFMR`` adds the collective modes of the
coupled array as an option.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import xarray as xr

from nanomag._validate import (
    as_float_array,
    check_memory,
    choice,
    field_array,
    flag,
    instance_of,
    positive,
)
from nanomag.fmr.bar_modes import MIN_MX
from nanomag.fmr.line_tables import table_values
from nanomag.fmr.lines import (
    bar_lines,
    bar_lines_parallel,
    bin_lines,
    lorentzian_direct,
    lorentzian_direct_parallel,
    series_spectra,
)
from nanomag.fmr.modes import ModeTable
from nanomag.fmr.stray import (
    PairQuadrature,
    StrayKernel,
    build_stray_kernel,
    stray_fields,
    stray_fields_parallel,
)
from nanomag.kernels.variants import pick
from nanomag.lattices.base import BarArray
from nanomag.materials import MU0, PERMALLOY, Material

Method = Literal["auto", "direct", "binned"]
_FINE_STEP = 0.1  # binned grid step, in narrowest half widths (0.25 % peak error)
_WIDTH_RATIO = 1.05  # ratio between binned width classes (0.03 % error)
_DERIVATIVE_STEP = 1e-4  # T, central difference for dP/dH
MAX_BAR_SIZES = 32  # distinct (length, width, thickness) of one geometry: one line table each
class FMRReadout:
    """Spin-wave fingerprint of a bar array.

    Args:
        frequencies: (M,) frequency channels, Hz, increasing.
        material: Ms, gamma/2pi and damping of the bars.
        modes: lines per bar state and their calibration.
        bias_angle: in-plane direction of the bias field, rad from +x.
        rf_angle: in-plane direction of the rf field, rad; ``None`` means perpendicular to the
            bias (a coplanar waveguide along the bias).
        cutoff: neighbour cutoff for the stray field, lattice spacings.
        quadrature: integration orders of the pair fields.
        method: ``"direct"`` sums every line at every channel; ``"binned"`` first merges lines
            on a fine (frequency, width) grid (relative error below 0.3 % of the peak);
            ``"auto"`` takes whichever sums fewer lines.

    Use ``prepare(geometry)`` once, then ``spectrum(spin, vortex, bias_fields)``.
    """

    model_name = "independent bars, face-charge stray field"

    def __init__(
        self,
        frequencies,
        *,
        material: Material = PERMALLOY,
        modes: ModeTable = ModeTable(),
        bias_angle: float = 0.0,
        rf_angle: float | None = None,
        cutoff: float = 1.0,
        quadrature: PairQuadrature = PairQuadrature(),
        method: Method = "auto",
    ) -> None:
        freqs = as_float_array(frequencies, "frequencies", (None,))
        if freqs.size == 0 or np.any(np.diff(freqs) <= 0) or freqs[0] < 0:
            raise ValueError("frequencies must be non-negative and strictly increasing")
        choice(method, ("auto", "direct", "binned"), "method")
        self.frequencies = freqs
        self.material = instance_of(material, Material, "material")
        self.modes = instance_of(modes, ModeTable, "modes")
        self.bias_angle = float(as_float_array(bias_angle, "bias_angle", ()))
        self.rf_angle = (None if rf_angle is None
                         else float(as_float_array(rf_angle, "rf_angle", ())))
        self.cutoff = positive(cutoff, "cutoff")
        self.quadrature = instance_of(quadrature, PairQuadrature, "quadrature")
        self.method = method
        self.geometry: BarArray | None = None

    def prepare(self, geometry: BarArray) -> FMRReadout:
        """Precompute per-bar factors and the pair-field table for ``geometry``."""
        instance_of(geometry, BarArray, "geometry")
        sizes = np.broadcast_arrays(geometry.lengths, geometry.widths, geometry.thickness)
        resonance = self.modes.resonance
        factors = resonance.effective_demag_factors(*sizes, material=self.material)
        self._nx, self._ny, self._nz = (np.ascontiguousarray(factors[:, k]) for k in range(3))
        unique, row = np.unique(np.stack(sizes, axis=-1), axis=0, return_inverse=True)
        if len(unique) > MAX_BAR_SIZES:
            raise ValueError(f"geometry has {len(unique)} distinct bar sizes; the edge line "
                             f"needs one mode-solver table per size (seconds each), at most "
                             f"{MAX_BAR_SIZES}: round the bars' lengths, widths and thicknesses")
        tables = [resonance.line_table(*size, self.material) for size in unique]
        self._table_row = np.ascontiguousarray(row.ravel(), dtype=np.int64)
        self._tables = {
            "bulk_ratio": np.array([resonance.axial_ratio(*size, self.material)
                                    for size in unique]),
            "edge": np.array([t.edge for t in tables]),
            "edge_b_sum": np.array([t.edge_b_sum for t in tables]),
            "mean_mx": np.array([t.mean_mx for t in tables]),
            "grid": np.array([tables[0].fields[0], tables[0].step]),
        }
        self._weight = geometry.volumes / geometry.volumes.mean()
        self.stray_kernel: StrayKernel = build_stray_kernel(
            geometry, self.material.Ms, self.cutoff, self.quadrature)
        self.geometry = geometry
        return self

    def _check_state(self, spin, vortex) -> tuple[np.ndarray, np.ndarray]:
        if self.geometry is None:
            raise ValueError("call prepare(geometry) before spectrum()")
        n = self.geometry.n_bars
        s = np.asarray(spin)
        if s.shape != (n,) or not np.all(np.abs(s) == 1):
            raise ValueError(f"spin must be an (N={n},) array of +1/-1")
        v = np.zeros(n, np.int8) if vortex is None else np.asarray(vortex)
        if v.shape != (n,) or not np.all(np.isin(v, (-1, 0, 1))):
            raise ValueError(f"vortex must be an (N={n},) array of -1/0/+1")
        return s.astype(np.float64), v.astype(np.int8)

    def _bias_vectors(self, bias_fields) -> tuple[np.ndarray, np.ndarray]:
        values = np.atleast_1d(field_array(bias_fields, "bias_fields"))
        if values.ndim != 1:
            raise ValueError(f"bias_fields must be a scalar or 1-D, got shape {values.shape}")
        direction = np.array([np.cos(self.bias_angle), np.sin(self.bias_angle)])
        return values, values[:, None] * direction

    def _check_fields(self, s: np.ndarray, v: np.ndarray, values: np.ndarray) -> None:
        """Warn where the bias along a macrospin's moment (stray fields aside) leaves the
        resonance model's validated range or a branch the bar alone would have left: states
        ``s``, ``v`` (K, N) read at biases ``values`` (K,) T, or one state (K = 1) read at
        each bias."""
        macrospin = v == 0
        along = s * np.cos(self.geometry.angles - self.bias_angle)
        fields = values.reshape(-1, 1) * along  # (K or biases, N)
        rows = np.broadcast_to(self._table_row, fields.shape).ravel()
        mean_mx = table_values(self._tables["mean_mx"], rows, *self._tables["grid"],
                               fields.ravel()).reshape(fields.shape)
        self.modes.resonance.check_fields(np.where(macrospin, fields, 0.0),
                                          macrospin & ~(mean_mx >= MIN_MX))

    def lines(self, spin, vortex=None, bias_field: float = 0.0) -> dict[str, np.ndarray]:
        """Resonance lines of every bar at one bias field (T, along ``bias_angle``).

        Returns (N, K) arrays ``frequency`` (Hz), ``fwhm`` (Hz) and ``weight`` (0 for an empty
        slot; slot 0 bulk, 1/2 front/back edge, or the vortex lines).
        """
        s, v = self._check_state(spin, vortex)
        values, bias = self._bias_vectors(bias_field)
        self._check_fields(s[None], v[None], values)
        return self._lines(s, v, self._stray(s, v), bias[0])

    def _stray(self, s: np.ndarray, v: np.ndarray) -> np.ndarray:
        k = self.stray_kernel
        kernel = pick((stray_fields, stray_fields_parallel), s.size)
        return kernel(k.indptr, k.indices, k.kind, k.table, s * (v == 0))

    def _rf_vector(self) -> np.ndarray:
        """(2,) in-plane unit vector of the rf field."""
        rf_angle = (self.bias_angle + np.pi / 2) if self.rf_angle is None else self.rf_angle
        return np.array([np.cos(rf_angle), np.sin(rf_angle)])

    def _line_args(self) -> tuple:
        """The arguments of :func:`bar_lines` after ``bias``, up to the outputs."""
        mt, mat = self.modes, self.material
        return (
            np.ascontiguousarray(self.geometry.angles), self._nx, self._ny, self._nz,
            self._weight, self._rf_vector(), MU0 * mat.Ms,
            mat.gamma_over_2pi, mat.damping, mt.inhomogeneous_fwhm, mt.bulk_weight,
            mt.edge_weight, self._table_row,
            *(self._tables[k] for k in ("bulk_ratio", "edge", "edge_b_sum", "grid")),
            np.asarray(mt.vortex_frequencies, dtype=np.float64),
            np.asarray(mt.vortex_weights, dtype=np.float64),
        )

    def _lines(self, s, v, stray, bias) -> dict[str, np.ndarray]:
        shape = (s.size, self.modes.lines_per_bar)
        f0, fwhm, amp = np.empty(shape), np.empty(shape), np.empty(shape)
        (angles, nx, ny, nz, weight, *rest) = self._line_args()
        kernel = pick((bar_lines, bar_lines_parallel), s.size)
        kernel(angles, nx, ny, nz, weight, s, v, stray, bias, *rest, f0, fwhm, amp)
        return {"frequency": f0, "fwhm": fwhm, "weight": amp}

    def spectra(self, spins, vortices=None, bias_fields=0.0, *,
                derivative: bool = False) -> xr.DataArray:
        """Spectra of a series of microstates, each read at its own bias field, in one
        compiled loop (the observation step of a reservoir run).

        Args:
            spins: (T, N) +1/-1.
            vortices: (T, N) 0 / +-1, or ``None`` for all macrospins.
            bias_fields: scalar or (T,) bias values, T, along ``bias_angle``.
            derivative: dP/dH instead of P (as in :meth:`spectrum`).

        Returns:
            DataArray (time, frequency), with the bias of each time as a coordinate.
        """
        out, values = self._checked_series(spins, vortices, bias_fields, derivative)
        return xr.DataArray(
            out,
            dims=("time", "frequency"),
            coords={
                "time": np.arange(out.shape[0]),
                "frequency": ("frequency", self.frequencies, {"units": "Hz"}),
                "bias": ("time", values, {"units": "T", "long_name": "bias field"}),
            },
            name="dP_dH" if derivative else "absorption",
            attrs={"units": "1/(Hz T)" if derivative else "1/Hz",
                   "bias_angle_rad": self.bias_angle},
        )

    def spectra_array(self, spins, vortices=None, bias_fields=0.0, *,
                      derivative: bool = False) -> np.ndarray:
        """:meth:`spectra` without the labels: the (T, M) values (1/Hz, or 1/(Hz T) for
        dP/dH), for callers that read many short series."""
        return self._checked_series(spins, vortices, bias_fields, derivative)[0]

    def _checked_series(self, spins, vortices, bias_fields,
                        derivative) -> tuple[np.ndarray, np.ndarray]:
        """(T, M) spectra and the (T,) bias values of validated arguments of :meth:`spectra`."""
        if self.geometry is None:
            raise ValueError("call prepare(geometry) before spectra()")
        n = self.geometry.n_bars
        s = np.asarray(spins)
        if s.ndim != 2 or s.shape[1] != n or not np.all(np.abs(s) == 1):
            raise ValueError(f"spins must be a (T, N={n}) array of +1/-1, got shape {s.shape}")
        v = np.zeros(s.shape, np.int8) if vortices is None else np.asarray(vortices)
        if v.shape != s.shape or not np.all(np.isin(v, (-1, 0, 1))):
            raise ValueError(f"vortices must be a (T, N={n}) array of -1/0/+1")
        values = field_array(bias_fields, "bias_fields")
        if values.ndim > 1 or values.size not in (1, s.shape[0]):
            raise ValueError(f"bias_fields must be a scalar or have shape ({s.shape[0]},), got "
                             f"{values.shape}")
        values = np.broadcast_to(values.reshape(-1), (s.shape[0],))
        self._check_fields(s, v, values)
        check_memory(s.shape[0] * self.frequencies.size, 8, "spins", "spectrum values")
        direction = np.array([np.cos(self.bias_angle), np.sin(self.bias_angle)])
        step = _DERIVATIVE_STEP * direction if flag(derivative, "derivative") else np.zeros(2)
        out = self._series(s.astype(np.float64), v.astype(np.int8),
                           np.ascontiguousarray(values[:, None] * direction), step)
        return out, np.array(values)

    def _series(self, s: np.ndarray, v: np.ndarray, biases: np.ndarray,
                step: np.ndarray) -> np.ndarray:
        """(T, M) spectra of validated states ``s``, ``v`` (T, N) at bias vectors (T, 2)."""
        k = self.stray_kernel
        method = {"direct": 0, "auto": 1, "binned": 2}[self.method]
        return series_spectra(s, v, biases, step, (k.indptr, k.indices, k.kind, k.table),
                              self._line_args(), self.modes.lines_per_bar, self.frequencies,
                              method)

    def _sum(self, lines: dict[str, np.ndarray],
             minus: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """Lorentzian sum of ``lines``, less that of ``minus`` (summed as one set of lines
        with negated weights, so that binning puts both on one grid and lines present in
        both cancel exactly)."""
        f0, fwhm, amp = (lines[k].ravel() for k in ("frequency", "fwhm", "weight"))
        if minus is not None:
            f0, fwhm = (np.concatenate([a, minus[k].ravel()])
                        for a, k in ((f0, "frequency"), (fwhm, "fwhm")))
            amp = np.concatenate([amp, -minus["weight"].ravel()])
        if self.method != "direct":
            binned = bin_lines(f0, fwhm, amp, _FINE_STEP, _WIDTH_RATIO)
            if self.method == "binned" or binned[0].size < np.count_nonzero(amp):
                f0, fwhm, amp = binned
        kernel = pick((lorentzian_direct, lorentzian_direct_parallel), self.geometry.n_bars)
        return kernel(f0, fwhm, amp, self.frequencies)

    def spectrum(
        self,
        spin,
        vortex=None,
        bias_fields=0.0,
        *,
        derivative: bool = False,
    ) -> xr.DataArray:
        """Absorption spectrum of a microstate.

        Args:
            spin: (N,) +1/-1, moment along +axis / -axis.
            vortex: (N,) 0 (macrospin) or +-1 (vortex chirality); ``None`` means all macrospin.
            bias_fields: scalar or (B,) bias field values, T, along ``bias_angle`` (signed).
            derivative: return dP/dH (field derivative, per tesla) as recorded by field-swept
                instruments, instead of the absorption P.

        Returns:
            DataArray (bias, frequency): absorption per Hz (sum of unit-area Lorentzians
            weighted by relative bar volume and rf coupling), or its derivative per T.
        """
        s, v = self._check_state(spin, vortex)
        values, vectors = self._bias_vectors(bias_fields)
        self._check_fields(s[None], v[None], values)
        derivative = flag(derivative, "derivative")
        out = np.empty((values.size, self.frequencies.size))
        stray = self._stray(s, v)
        if derivative:
            step = _DERIVATIVE_STEP * np.array([np.cos(self.bias_angle),
                                                np.sin(self.bias_angle)])
            for b, vec in enumerate(vectors):
                out[b] = self._sum(self._lines(s, v, stray, vec + step),
                                   minus=self._lines(s, v, stray, vec - step))
                out[b] /= 2 * _DERIVATIVE_STEP
        else:
            for b, vec in enumerate(vectors):
                out[b] = self._sum(self._lines(s, v, stray, vec))
        return xr.DataArray(
            out,
            dims=("bias", "frequency"),
            coords={
                "bias": ("bias", values, {"units": "T", "long_name": "bias field"}),
                "frequency": ("frequency", self.frequencies, {"units": "Hz"}),
                "bias_x": ("bias", vectors[:, 0], {"units": "T"}),
                "bias_y": ("bias", vectors[:, 1], {"units": "T"}),
            },
            name="dP_dH" if derivative else "absorption",
            attrs={
                "units": "1/(Hz T)" if derivative else "1/Hz",
                "bias_angle_rad": self.bias_angle,
                "model": self.model_name,
            },
        )
