"""The three arrays of Stenning et al. (Nat. Commun. 15, 2024) as ready reservoirs.

* ``MS`` -- macrospin square artificial spin ice: 600 x 150 x 20 nm Permalloy bars on the
  closed square lattice (800 nm vertex period).  The bars are narrower than the vortex width
  (:attr:`VortexModel.min_width`, 180 nm), so no bar can hold a vortex even though the
  engine runs with the same vortex rules as the other two arrays.
* ``WM`` -- width-modified square artificial spin-vortex ice: thin 125 nm macrospin bars and
  wide 200 nm vortex-capable bars in diagonal staircases (Gartside et al. 2022).
* ``PW`` -- disordered pinwheel spin-vortex ice: the square lattice with every bar turned
  by -45 deg plus a Gaussian angle disorder of 5 deg, half of the bars (seeded random
  layout) 200 nm wide and vortex-capable, the rest 125 nm.

All three use the engine defaults of :data:`nanomag.substrates.spin_ice.DEFAULT_ENGINE`
(5 % switching-field disorder, :class:`VortexModel` defaults) and the FMR spectrum readout
(dP/dH, 128 channels from 3 to 13 GHz) at the loop-end field.  Each input writes the field
loop ``+H(u)``, ``-H(u)`` (:class:`FieldLoopEncoder`) with a window that spans the array's
own switching fields (45 deg room-temperature coercive fields of
:func:`nanomag.engine.switching.coercive_field`):

=====  ============  ==========  ====================================================
array  field window  field angle why
=====  ============  ==========  ====================================================
MS     19-27 mT      45 deg      around the 23 mT coercive field of 150 nm bars
WM     16-30 mT      45 deg      from the wide-bar (15.5 mT) to the thin-bar (29.5 mT) field
PW     16-30 mT      0 deg       same bar widths as WM; 0 deg is 45 deg from both
                                 pinwheel sublattices, as 45 deg is for the square arrays
=====  ============  ==========  ====================================================

The published field windows, the PW disorder amplitude and width pattern are not known here:
these are modelling choices, fixed before any comparison was run (not tuned to its outcome).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nanomag.encoders import FieldLoopEncoder
from nanomag.substrates.spin_ice import DEFAULT_ENGINE, SpinIceReservoir

#: Field windows (h_min, h_max) in T and field angles in degrees of the presets.
FIELD_WINDOWS: dict[str, tuple[float, float, float]] = {
    "MS": (0.019, 0.027, 45.0),
    "WM": (0.016, 0.030, 45.0),
    "PW": (0.016, 0.030, 0.0),
}

#: Bar width of the macrospin array, nm (below the 180 nm vortex width).
MS_BAR_WIDTH_NM = 150.0


def _reservoir(name: str, lattice: str, params: dict, size: Sequence[int], seed: int | None,
               **reservoir_params) -> SpinIceReservoir:
    h_min, h_max, angle = FIELD_WINDOWS[name]
    settings = {
        "engine_params": dict(DEFAULT_ENGINE),
        "encoder": FieldLoopEncoder(h_min=h_min, h_max=h_max, angle_deg=angle),
        **reservoir_params,  # a caller's engine or encoder replaces the preset's
    }
    return SpinIceReservoir(lattice, lattice_params={"size": tuple(size), **params}, seed=seed,
                            **settings)


def ms_array(size: Sequence[int] = (10, 10), seed: int | None = 0,
             **reservoir_params) -> SpinIceReservoir:
    """MS: macrospin square ice of 600 x 150 x 20 nm bars (no vortex can form).

    Args:
        size: (nx, ny) lattice cells.
        seed: seeds the switching-field disorder and vortex draws.
        reservoir_params: further :class:`SpinIceReservoir` arguments (``observation``,
            ``frequencies``, ``derivative``, ...).
    """
    return _reservoir("MS", "square", {"bar_width": MS_BAR_WIDTH_NM}, size, seed,
                      **reservoir_params)


def wm_array(size: Sequence[int] = (10, 10), seed: int | None = 0,
             **reservoir_params) -> SpinIceReservoir:
    """WM: width-modified square spin-vortex ice, 125 / 200 nm bars in staircases (arguments
    as :func:`ms_array`)."""
    return _reservoir("WM", "asvi_width_modulated", {"layout": "staircase"}, size, seed,
                      **reservoir_params)


def pw_array(size: Sequence[int] = (10, 10), seed: int | None = 0,
             **reservoir_params) -> SpinIceReservoir:
    """PW: disordered pinwheel spin-vortex ice, 5 deg angle disorder, a random half of the bars
    200 nm wide; ``seed`` also draws the layout and the angle disorder (arguments as
    :func:`ms_array`)."""
    return _reservoir("PW", "pinwheel_disordered",
                      {"angle_disorder": 5.0, "layout": "random", "seed": seed}, size, seed,
                      **reservoir_params)


PRESETS: dict[str, Callable[..., SpinIceReservoir]] = {
    "MS": ms_array,
    "WM": wm_array,
    "PW": pw_array,
}


def preset(name: str, size: Sequence[int] = (10, 10), seed: int | None = 0,
           **reservoir_params) -> SpinIceReservoir:
    """The reservoir of array ``name`` (``"MS"``, ``"WM"`` or ``"PW"``)."""
    if name not in PRESETS:
        raise ValueError(f"array must be one of {sorted(PRESETS)}, got {name!r}")
    return PRESETS[name](size, seed, **reservoir_params)
