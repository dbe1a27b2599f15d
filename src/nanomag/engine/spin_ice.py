"""The spin-ice engine: the microstate of a nanobar array evolving under applied fields.

Every bar is an Ising macrospin (``spin`` = +1 along its axis, -1 against) or, for wide bars
of a spin-vortex ice, a vortex with no moment.  Bars switch by the generalized
Stoner-Wohlfarth criterion (:mod:`nanomag.engine.switching`) in the total field, external plus the
point-dipole field of the neighbours within ``neighbor_distance``.  Relaxation flips the bar
with the largest switching energy first until none can flip; the dipolar fields of the flipped
bar's neighbours are updated incrementally.  The kernels live in :mod:`nanomag.kernels`.

Units: fields in tesla, lengths in nm (reduced lengths in lattice spacings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import xarray as xr

from nanomag._validate import (
    MAX_FIELD_T,
    as_float_array,
    choice,
    field_array,
    in_range,
    instance_of,
    per_bar,
    positive,
)
from nanomag._validate import seed as checked_seed
from nanomag.engine.kernels.dipolar import DIPOLE_PAIR_FIELDS, sum_pair_fields
from nanomag.engine.kernels.protocol import protocol_kernel, thermal_active
from nanomag.engine.kernels.rng import rng_state as new_rng_state
from nanomag.engine.kernels.switching import BAR_ENERGIES, Bars, Coupling, astroid_boundary
from nanomag.engine.kernels.thermal import Thermal
from nanomag.engine.kernels.vortex import VortexRules
from nanomag.engine.switching import Astroid, coercive_field
from nanomag.engine.vortices import VortexModel
from nanomag.fmr.stray import source_pair_fields
from nanomag.kernels.variants import pick
from nanomag.lattices.base import MAX_LENGTH_NM, MIN_LENGTH_NM, BarArray
from nanomag.lattices.neighbors import neighbor_csr
from nanomag.lattices.vertices import vertex_counts
from nanomag.materials import K_B, MU0, PERMALLOY, Material
from nanomag.progress import report

#: Dipolar coupling models.
COUPLINGS = ("point_dipole", "face_charge")
#: Largest neighbour list built for ``neighbor_distance=None`` (all pairs), or for a cutoff
#: that spans the whole array.
MAX_ALL_PAIRS = 50_000_000
#: Lowest accepted switching threshold ``hc``, T (1 nT: far below any nanomagnet).
MIN_THRESHOLD = 1e-9
#: Highest accepted temperature, K: above the Curie temperature of every ferromagnet (cobalt,
#: 1388 K) no bar holds a moment.
MAX_TEMPERATURE = 2000.0


def _check_thresholds(values: np.ndarray, name: str) -> None:
    """Refuse switching thresholds (T) outside [MIN_THRESHOLD, MAX_FIELD_T]."""
    if np.any(values < MIN_THRESHOLD) or np.any(values > MAX_FIELD_T):
        raise ValueError(f"{name} must lie within [{MIN_THRESHOLD:g}, {MAX_FIELD_T:g}] T, got "
                         f"values in [{values.min():g}, {values.max():g}]")


class RelaxationError(RuntimeError, ValueError):
    """The microstate did not settle: the parameters put the bars outside the model's range."""

_ASTROID_KEYS = ("b", "c", "beta", "gamma")
#: Least work (bars x field steps) per call of the protocol kernel when a run is split into
#: calls to report progress; a run is split into at most ``_MAX_CALLS`` calls.
_MIN_BAR_STEPS_PER_CALL = 20_000
_MAX_CALLS = 100
#: Units and long names of the variables of :meth:`SpinIce.run`'s Dataset.
RUN_ATTRS = {
    "field": {"units": "T", "long_name": "applied field"},
    "magnetization": {"units": "1", "long_name": "volume-weighted magnetization / saturation"},
    "flips": {"units": "1", "long_name": "bar reversals in the step"},
    "n_vortex": {"units": "1", "long_name": "bars in the vortex state"},
    "spin": {"units": "1", "long_name": "macrospin along the bar axis (+1 / -1)"},
    "vortex": {"units": "1", "long_name": "vortex state (0: macrospin, +-1: chirality)"},
}


class ProtocolRecord(NamedTuple):
    """What :meth:`SpinIce.run_arrays` returns (the arrays of :meth:`SpinIce.run`'s Dataset).

    Attributes:
        fields: the applied fields as given, (T, 2) or (T, N, 2), T.
        magnetization: (T, 2) volume-weighted magnetization / saturation.
        flips: (T,) bar reversals per step.
        n_vortex: (T,) bars in the vortex state after each step.
        recorded_steps: (R,) the steps whose microstate was recorded.
        spin: (R, N) int8 macrospins (+-1) after the recorded steps.
        vortex: (R, N) int8 vortex states (0: macrospin, +-1: chirality).
    """

    fields: np.ndarray
    magnetization: np.ndarray
    flips: np.ndarray
    n_vortex: np.ndarray
    recorded_steps: np.ndarray
    spin: np.ndarray
    vortex: np.ndarray


def _kernel_fields(fields: np.ndarray) -> np.ndarray:
    """(T, N, 2) fields as a read-only strided view.

    Global fields reach the kernel as a broadcast view (read-only, strided); per-bar fields are
    copied into the same kind of view, so that the protocol kernel is compiled for one array
    type only (each new type costs a first-run compilation of several seconds).
    """
    if not fields.flags.writeable and not fields.flags.c_contiguous:
        return fields
    # every other column of a 4-wide buffer: never contiguous, even for one bar and one step
    view = np.empty(fields.shape[:-1] + (4,))[..., ::2]
    view[...] = fields
    view.setflags(write=False)
    return view


class SpinIce:
    """Macrospin model of a :class:`~nanomag.lattices.BarArray`.

    Args:
        array: the geometry.
        hc: switching threshold ``hc`` (T), scalar or (N,), within [:data:`MIN_THRESHOLD`,
            ``nanomag._validate.MAX_FIELD_T``]; ``None`` derives it per bar from the
            bar width through :func:`~nanomag.engine.switching.coercive_field` (field at 45 deg) and
            the astroid.
        disorder: relative standard deviation of Gaussian threshold disorder,
            ``hc_i ~ N(hc_i, (disorder hc_i)^2)``.
        astroid: GSW astroid shape; an :class:`Astroid` or a mapping of ``b``, ``c``, ``beta``,
            ``gamma`` to scalars or (N,) arrays for per-bar shapes.
        alpha: dipolar coupling constant (T).  ``None`` uses the physical value of each source
            bar, ``mu0 Ms V_j / (4 pi a^3)``; a number gives every bar that coupling (flatspin's
            ``alpha``, reduced units with lattice spacing 1).
        neighbor_distance: dipolar cutoff in lattice spacings (inclusive); ``None`` sums all pairs.
        coupling: ``"point_dipole"`` (flatspin's kernel) or ``"face_charge"``: the bar-averaged
            field of finite bars carrying +-Ms on their end faces, about twice the point
            dipole's for nearest neighbours (:mod:`nanomag.fmr.stray`; needs ``alpha=None``).
        material: magnetic material (its ``Ms`` sets the physical coupling).
        calibration: coercive-field calibration used when ``hc`` is None.
        init: initial spins: +1, -1, ``"random"`` or an (N,) array of +-1.
        seed: seed for threshold disorder, random initial states and thermal switching.
        temperature: K, in [0, :data:`MAX_TEMPERATURE`]; above 0, every field step is followed by a hold of ``step_duration``
            seconds during which bars switch by Arrhenius activation over their barrier
            (:mod:`nanomag.engine.kernels.thermal`); 0 is the athermal model.
        step_duration: how long each field step is held, s.
        attempt_frequency: Arrhenius attempt frequency, Hz.
        vortex: vortex rules for wide bars (:class:`~nanomag.engine.vortices.VortexModel`); ``None``
            keeps every bar a macrospin.
    """

    def __init__(
        self,
        array: BarArray,
        *,
        hc: float | np.ndarray | None = None,
        disorder: float = 0.0,
        astroid: Astroid | Mapping[str, float | np.ndarray] = Astroid(),
        alpha: float | None = None,
        neighbor_distance: float | None = 1.0,
        coupling: str = "point_dipole",
        material: Material = PERMALLOY,
        calibration: str = "room_temperature",
        init: int | str | np.ndarray = 1,
        seed: int | None = None,
        temperature: float = 0.0,
        step_duration: float = 1.0,
        attempt_frequency: float = 1e9,
        vortex: VortexModel | None = None,
    ) -> None:
        if not isinstance(array, BarArray):
            raise TypeError(f"array must be a BarArray, got {type(array).__name__}")
        self.array = array
        self.material = instance_of(material, Material, "material")
        n = array.n_bars
        seed = checked_seed(seed)
        rng = np.random.default_rng(seed)
        self._astroid_arrays(astroid)
        shapes, self.shape_class = self._shape_classes()
        self.boundaries = np.array([astroid_boundary(*row) for row in shapes])
        self.disorder = positive(disorder, "disorder", allow_zero=True)
        self.threshold = self._thresholds(hc, self.disorder, calibration, rng)
        self.neighbor_distance = (
            None if neighbor_distance is None else positive(neighbor_distance, "neighbor_distance")
        )
        choice(coupling, COUPLINGS, "coupling")
        if coupling == "face_charge" and alpha is not None:
            raise ValueError("alpha sets a point-dipole coupling; use coupling='point_dipole'")
        self.coupling = coupling
        self.alpha = self._coupling(alpha)
        self.axes = np.ascontiguousarray(array.axes)
        vol = array.volumes
        self.weights = vol / vol.sum()
        self._build_neighbors()
        self.spin = self._initial_spins(init, rng)
        self.vortex = np.zeros(n, dtype=np.int8)
        self.h_ext = np.zeros((n, 2))
        self.h_dip = self._dipolar_from_scratch()
        self.temperature = in_range(temperature, "temperature", 0.0, MAX_TEMPERATURE)
        self.step_duration = positive(step_duration, "step_duration")
        self.attempt_frequency = positive(attempt_frequency, "attempt_frequency")
        #: (1,) uint64 state of the generator for vortex nucleation and thermal switching
        self.rng_state = new_rng_state(seed)
        self.vortex_model = instance_of(vortex, VortexModel, "vortex", allow_none=True)

    @classmethod
    def from_flatspin_parameters(
        cls,
        positions: np.ndarray,
        angles: np.ndarray,
        threshold: np.ndarray,
        *,
        alpha: float,
        sw_b: float = 0.41,
        sw_c: float = 1.0,
        sw_beta: float = 1.5,
        sw_gamma: float = 3.9,
        lattice_spacing: float = 1.0,
        neighbor_distance: float | None = 1.0,
        init: int | np.ndarray = 1,
    ) -> "SpinIce":
        """A model that reproduces a flatspin run flip for flip.

        Takes flatspin's quantities as they are: ``positions`` in flatspin's length unit (bar
        centres, lattice spacing ``lattice_spacing``), ``angles`` (rad), per-bar thresholds (T),
        the GSW parameters and flatspin's coupling ``alpha`` (T at unit distance).  Bar sizes
        play no role here; they are set to nominal values (width 0.01 lattice spacings, so
        only centres closer than that count as overlapping).
        """
        spacing = in_range(lattice_spacing, "lattice_spacing", MIN_LENGTH_NM, MAX_LENGTH_NM)
        for name, value in (("sw_b", sw_b), ("sw_c", sw_c), ("sw_beta", sw_beta),
                            ("sw_gamma", sw_gamma)):
            positive(value, name)
        pos = as_float_array(positions, "positions", (None, 2))
        threshold = per_bar(threshold, "threshold (one per row of positions)", pos.shape[0])
        _check_thresholds(threshold, "threshold")
        array = BarArray(positions=pos / spacing, angles=angles, lengths=0.6, widths=0.01,
                         thickness=0.02, lattice_spacing=1.0, name="flatspin")
        try:
            array.check_separated(*neighbor_csr(array.positions, 0.01))
        except ValueError as err:
            raise ValueError(f"positions / lattice_spacing: {err}") from None
        return cls(
            array, hc=threshold, alpha=positive(alpha, "alpha", allow_zero=True) / spacing**3,
            astroid=Astroid(b=sw_b, c=sw_c, beta=sw_beta, gamma=sw_gamma),
            neighbor_distance=neighbor_distance, init=init,
        )

    # ----------------------------------------------------------------------------- set-up
    def _astroid_arrays(self, astroid) -> None:
        n = self.array.n_bars
        if isinstance(astroid, Astroid):
            values = {k: getattr(astroid, k) for k in _ASTROID_KEYS}
        elif isinstance(astroid, Mapping):
            unknown = set(astroid) - set(_ASTROID_KEYS)
            if unknown:
                raise ValueError(f"astroid has unknown key(s) {sorted(unknown)}; use {_ASTROID_KEYS}")
            defaults = Astroid()
            values = {k: astroid.get(k, getattr(defaults, k)) for k in _ASTROID_KEYS}
        else:
            raise TypeError("astroid must be an Astroid or a mapping of b, c, beta, gamma")
        for key, value in values.items():
            arr = per_bar(value, f"astroid.{key}", n)
            if np.any(arr <= 0):
                raise ValueError(f"astroid.{key} must be positive")
            setattr(self, key, arr)

    def _thresholds(self, hc, disorder, calibration, rng) -> np.ndarray:
        n = self.array.n_bars
        if hc is None:
            base = coercive_field(self.array.widths, calibration) / self._reduced_switching_fields()
        else:
            base = per_bar(hc, "hc", n)
        _check_thresholds(base, "hc")
        thresholds = rng.normal(base, base * disorder) if disorder else base.copy()
        if np.any(thresholds <= 0):
            raise ValueError(f"disorder={disorder} draws non-positive thresholds; lower it")
        return thresholds

    def _shape_classes(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct astroid shapes (K, 4) and each bar's index into them (N,)."""
        shapes = np.stack([getattr(self, k) for k in _ASTROID_KEYS], axis=1)
        if np.all(shapes == shapes[0]):
            return shapes[:1], np.zeros(len(shapes), dtype=np.int64)
        unique, inverse = np.unique(shapes, axis=0, return_inverse=True)
        return unique, inverse.ravel().astype(np.int64)

    def _reduced_switching_fields(self, angle: float = np.pi / 4) -> np.ndarray:
        """(N,) switching field at ``angle`` (rad from the reversed axis) in units of hc, one
        root-find per distinct astroid."""
        unique, inverse = self._shape_classes()
        k = np.array([Astroid(*row).reduced_switching_field(angle) for row in unique])
        return k[inverse]

    def switching_fields(self, angle_deg: float = 45.0) -> np.ndarray:
        """(N,) field (T) that reverses each isolated bar when applied against it at
        ``angle_deg`` from its axis (dipolar fields not included)."""
        return self.threshold * self._reduced_switching_fields(np.deg2rad(angle_deg))

    def _coupling(self, alpha) -> np.ndarray:
        n = self.array.n_bars
        if alpha is None:
            a = self.array.lattice_spacing * 1e-9
            return MU0 * self.material.Ms * self.array.volumes / (4 * np.pi * a**3)
        return np.full(n, positive(alpha, "alpha", allow_zero=True))

    def _build_neighbors(self) -> None:
        n = self.array.n_bars
        points = np.ascontiguousarray(self.array.reduced_positions)
        span = float(np.hypot(*np.ptp(points, axis=0)))
        all_pairs = self.neighbor_distance is None or self.neighbor_distance >= span
        if all_pairs and n * (n - 1) > MAX_ALL_PAIRS:
            raise ValueError(
                f"neighbor_distance={self.neighbor_distance} (all pairs) needs "
                f"{n * (n - 1):,} pair fields for {n} bars; use a shorter neighbor_distance"
            )
        self.indptr, self.indices = neighbor_csr(points, self.neighbor_distance)
        self.array.check_separated(self.indptr, self.indices)
        if self.coupling == "face_charge":
            self.pair_fields = source_pair_fields(self.array, self.material.Ms, self.indptr,
                                                  self.indices)
        else:
            kernel = pick(DIPOLE_PAIR_FIELDS, self.n_bars)
            self.pair_fields = kernel(points, self.axes, self.alpha, self.indptr, self.indices)

    def _initial_spins(self, init, rng) -> np.ndarray:
        n = self.array.n_bars
        if init is None:
            raise TypeError("init must be +1, -1, 'random' or an array of +-1, got None")
        if isinstance(init, str):
            if init != "random":
                raise ValueError(f"init must be +1, -1, 'random' or an array, got {init!r}")
            return rng.choice(np.array([-1, 1], dtype=np.int8), size=n)
        spin = np.broadcast_to(np.asarray(init), (n,)) if np.ndim(init) == 0 else np.asarray(init)
        if spin.shape != (n,) or spin.dtype.kind not in "iuf" or not np.all(np.abs(spin) == 1):
            raise ValueError(f"init must be +-1 (scalar or shape ({n},)), got {np.shape(init)}")
        return spin.astype(np.int8).copy()

    def _dipolar_from_scratch(self) -> np.ndarray:
        moment = (self.spin * (self.vortex == 0)).astype(np.float64)
        return sum_pair_fields(moment, self.indptr, self.indices, self.pair_fields, self.array.n_bars)

    # ----------------------------------------------------------------------------- state
    @property
    def n_bars(self) -> int:
        return self.array.n_bars

    def set_state(self, spin: np.ndarray, vortex: np.ndarray | None = None) -> None:
        """Replace the microstate (spins +-1, optional vortex flags) and recompute the dipolar field."""
        self.spin = self._initial_spins(np.asarray(spin), None)
        if vortex is not None:
            v = np.asarray(vortex)
            if v.shape != (self.n_bars,) or not np.all(np.abs(v) <= 1):
                raise ValueError(f"vortex must be 0 or +-1 with shape ({self.n_bars},)")
            self.vortex = v.astype(np.int8).copy()
        self.h_dip = self._dipolar_from_scratch()

    def set_h_ext(self, h: np.ndarray) -> None:
        """Set the external field: (2,) global or (N, 2) per bar, T."""
        h = field_array(h, "h_ext")
        if h.shape == (2,):
            self.h_ext = np.broadcast_to(h, (self.n_bars, 2)).copy()
        elif h.shape == (self.n_bars, 2):
            self.h_ext = h.copy()
        else:
            raise ValueError(f"h_ext must have shape (2,) or ({self.n_bars}, 2), got {h.shape}")

    def magnetization(self) -> np.ndarray:
        """(2,) volume-weighted mean moment direction (1 = saturated along +x), dimensionless."""
        moment = self.spin * (self.vortex == 0)
        return (self.weights * moment) @ self.axes

    def vertex_counts(self) -> dict[int, int]:
        """Number of square-ice vertices of each type (1-4) in the current microstate
        (:func:`nanomag.lattices.vertex_counts`; vortex bars count with their last direction)."""
        return vertex_counts(self.array, self.spin)

    def total_field(self) -> np.ndarray:
        """(N, 2) total field at each bar (external + dipolar), T."""
        return self.h_ext + self.h_dip

    def switching_energies(self) -> np.ndarray:
        """(N,) GSW switching energy of each bar; > 0 means it would switch now."""
        out = np.empty(self.n_bars)
        kernel = pick(BAR_ENERGIES, self.n_bars)
        kernel(self._bars(), self.spin, self.vortex, self.h_dip, self.h_ext, out)
        return out

    def dipolar_energy(self) -> float:
        """Dipolar interaction energy of the microstate, J (physical coupling only)."""
        moment = self.material.Ms * self.array.volumes * self.spin * (self.vortex == 0)
        return -0.5 * float(np.sum(moment * np.einsum("ij,ij->i", self.axes, self.h_dip)))

    # ----------------------------------------------------------------------------- dynamics
    def relax(self) -> int:
        """Flip bars (largest switching energy first) until none can; returns the flip count."""
        flips = self._run(self.h_ext[None])[1]
        return int(flips[0])

    def step(self) -> int:
        """Flip only the bar with the largest switching energy; returns its index, or -1 if
        no bar can switch."""
        before = self.spin.copy()
        self._run(self.h_ext[None], max_flips=1)
        changed = np.flatnonzero(before != self.spin)
        return int(changed[0]) if changed.size else -1

    def run(self, fields: np.ndarray, *, record_states: bool | np.ndarray = False) -> xr.Dataset:
        """Apply a field protocol step by step, relaxing after each field.

        Args:
            fields: (T, 2) global fields or (T, N, 2) per-bar fields, T.
            record_states: ``True`` records the microstate after every step; an array of step
                indices records only those steps.

        Returns:
            Dataset with ``field`` (step, component), ``magnetization`` (step, component,
            volume-weighted, dimensionless), ``flips`` (step: reversals, including those that
            end as vortices), ``n_vortex`` (step) and, if recorded, ``spin`` and ``vortex``
            (recorded_step, bar) with coordinate ``recorded_step``.
        """
        record = self.run_arrays(fields, record_states=record_states)
        data = {
            "magnetization": (("step", "component"), record.magnetization),
            "flips": (("step",), record.flips),
            "n_vortex": (("step",), record.n_vortex),
        }
        if record.fields.ndim == 2:
            data["field"] = (("step", "component"), record.fields)
        coords = {"step": np.arange(record.flips.size), "component": ["x", "y"]}
        if record.recorded_steps.size:
            data["spin"] = (("recorded_step", "bar"), record.spin)
            data["vortex"] = (("recorded_step", "bar"), record.vortex)
            coords["recorded_step"] = record.recorded_steps
        ds = xr.Dataset(
            data,
            coords=coords,
            attrs={"lattice": self.array.name, "n_bars": self.n_bars, "field_units": "T"},
        )
        for name, attrs in RUN_ATTRS.items():
            if name in ds:
                ds[name].attrs.update(attrs)
        return ds

    def run_arrays(self, fields: np.ndarray, *,
                   record_states: bool | np.ndarray = False) -> ProtocolRecord:
        """:meth:`run` without the labels: the same values as plain arrays (a
        :class:`ProtocolRecord`), for callers that drive the array many times."""
        f = field_array(fields, "fields")
        n = self.n_bars
        if f.ndim == 2 and f.shape[1] == 2:
            per_bar = np.broadcast_to(f[:, None, :], (f.shape[0], n, 2))
        elif f.ndim == 3 and f.shape[1:] == (n, 2):
            per_bar = f
        else:
            raise ValueError(f"fields must have shape (T, 2) or (T, {n}, 2), got {f.shape}")
        if f.shape[0] == 0:
            raise ValueError("fields must hold at least one step")
        steps = self._recorded_steps(record_states, f.shape[0])
        mag, flips, n_vortex, states, vortices = self._run(per_bar, steps)
        self.h_ext = np.array(per_bar[-1])
        return ProtocolRecord(f, mag, flips, n_vortex, steps, states, vortices)

    def _bars(self) -> Bars:
        return Bars(self.axes, self.threshold, self.b, self.c, self.beta, self.gamma,
                    self.shape_class, self.boundaries, self.weights)

    def _thermal(self) -> Thermal:
        barrier = 0.5 * self.material.Ms * self.array.volumes * self.b * self.threshold
        # kT can underflow to 0 J for tiny temperatures: that is the athermal limit (inf)
        kt = K_B * self.temperature
        inv_kt = 0.0 if self.temperature == 0 else (1.0 / kt if kt > 0 else np.inf)
        return Thermal(barrier, inv_kt, self.attempt_frequency, self.step_duration,
                       self.rng_state)

    @staticmethod
    def _recorded_steps(record_states, n_steps: int) -> np.ndarray:
        if isinstance(record_states, (bool, np.bool_)):
            return np.arange(n_steps) if record_states else np.empty(0, np.int64)
        steps = np.asarray(record_states)
        if steps.ndim != 1 or steps.dtype.kind not in "iu" or np.any(steps < 0) \
                or np.any(steps >= n_steps) or np.any(np.diff(steps) <= 0):
            raise ValueError("record_states must be a bool or increasing step indices in [0, T)")
        return steps.astype(np.int64)

    def _vortex_rules(self) -> VortexRules:
        n = self.n_bars
        if self.vortex_model is None:
            p_plus = p_minus = np.zeros(n)
            h_ann, gain = np.full(n, np.inf), 0.0
        else:
            p_plus, p_minus, h_ann = self.vortex_model.per_bar(self.array.widths)
            gain = float(self.vortex_model.neighbor_gain)
        active = bool(np.any(self.vortex != 0) or np.any(np.isfinite(h_ann)))
        return VortexRules(active, p_plus, p_minus, gain, h_ann, self.rng_state)

    def _run(self, per_bar_fields: np.ndarray, steps: np.ndarray | None = None,
             max_flips: int = 0):
        n, n_steps = self.n_bars, per_bar_fields.shape[0]
        steps = np.empty(0, np.int64) if steps is None else steps
        record_at = np.full(n_steps, -1, np.int64)
        record_at[steps] = np.arange(steps.size)
        states = np.empty((steps.size, n), np.int8)
        vortices = np.empty((steps.size, n), np.int8)
        limit = max_flips or 100 * n + 1000
        fields = _kernel_fields(per_bar_fields)
        per_call = max(-(-n_steps // _MAX_CALLS), -(-_MIN_BAR_STEPS_PER_CALL // n))
        parts = []
        thermal = self._thermal()
        run_protocol = protocol_kernel(thermal_active(thermal))
        for start in range(0, n_steps, per_call):
            stop = min(start + per_call, n_steps)
            parts.append(run_protocol(
                self._bars(), Coupling(self.indptr, self.indices, self.pair_fields),
                self._vortex_rules(), thermal, self.spin, self.vortex, self.h_dip,
                fields[start:stop], record_at[start:stop], states, vortices, limit,
            ))
            if per_call < n_steps:
                report("field steps", stop, n_steps)
            if parts[-1][1].size < stop - start:  # the kernel stopped at max_flips
                break
        mag, flips, n_vortex = (np.concatenate(arrays) for arrays in zip(*parts))
        if not max_flips and flips[-1] >= limit:
            raise RelaxationError(
                f"relaxation did not settle within 100 flips per bar (temperature="
                f"{self.temperature} K, step_duration={self.step_duration} s, attempt_frequency="
                f"{self.attempt_frequency} Hz): lower the temperature or the step_duration"
            )
        return mag, flips, n_vortex, states, vortices
