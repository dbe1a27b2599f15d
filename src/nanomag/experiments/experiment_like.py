"""The MS / WM / PW arrays as measured in the laboratory: room-temperature switching at the
magnet's sweep rate and a noisy FMR readout.

:func:`experiment_preset` returns the array of :func:`~nanomag.experiments.presets.preset`
with two changes, both seeded by ``seed`` and reproducible:

* **Room-temperature switching.**  The engine runs at :data:`TEMPERATURE` (300 K): after each
  field step, bars cross their barrier by Arrhenius activation (attempt frequency
  :data:`ATTEMPT_FREQUENCY`) during a hold of :data:`STEP_DURATION`.  Each half loop is a ramp
  of :data:`STEPS_PER_HALF` steps, so one input (``+H``, ``-H``) takes
  ``2 * STEPS_PER_HALF * STEP_DURATION = 1 s``: a laboratory electromagnet spends about 1 s
  per input (physics background, section 4.1), i.e. a sweep of ``2H`` in 0.5 s, 64-120 mT/s
  for the 16-30 mT windows.  With barriers of about 4,000 kT (600 x 125-200 x 20 nm
  permalloy, ``E0 = Ms V b hc / 2``) a bar switches thermally once its barrier falls to
  ``kT ln(f0 t) ~ 19 kT``: an isolated bar under a field at 45 deg, raised in 0.05 mT steps
  held 0.125 s, switches 5-6 % below its athermal field (125 nm: 29.55 -> 28.01 mT,
  200 nm: 15.55 -> 14.65 mT) with a spread over 20 seeds of at most 0.05 mT.  The mean
  shift comes on top of the room-temperature calibration of the thresholds; the stochastic
  part is small next to the 5 % threshold disorder.
* **Measured FMR.**  :data:`EXPERIMENT_INSTRUMENT`: additive white noise at a single-sweep
  SNR of 30 dB over the whole spectrum (the measured Cu2OSeO3 FMR reservoir spectra of the
  shared data set show a white-noise floor at most 36 dB below their RMS, see
  ``validation/measured_snr.py``; sub-micron arrays hold far less magnetic material, so 30 dB
  is taken as a round, lower value), 0.1 mT field jitter (an assumed electromagnet
  stability), no frequency jitter (a network analyser's synthesiser is accurate to about
  1 ppm, 10 kHz at 10 GHz, far below the 80 MHz channel spacing), one sweep per step.

These values are stated assumptions, fixed before the comparison under them was run.
"""

from __future__ import annotations

from collections.abc import Sequence

from nanomag.encoders import FieldLoopEncoder
from nanomag.experiments.presets import FIELD_WINDOWS, PRESETS, preset
from nanomag.fmr.instrument import FMRInstrument
from nanomag.substrates.spin_ice import DEFAULT_ENGINE, SpinIceReservoir

#: Sample temperature, K.
TEMPERATURE = 300.0
#: Arrhenius attempt frequency, Hz (the usual Neel-Brown order of magnitude).
ATTEMPT_FREQUENCY = 1e9
#: Field steps per half loop and hold per step, s: one input loop lasts 1 s.
STEPS_PER_HALF = 4
STEP_DURATION = 0.125
#: The readout of the experiment preset.
EXPERIMENT_INSTRUMENT = FMRInstrument(snr_db=30.0, field_jitter=1e-4)


def experiment_engine(temperature: float = TEMPERATURE) -> dict:
    """:data:`DEFAULT_ENGINE` with Arrhenius switching at ``temperature`` (K)."""
    return {**DEFAULT_ENGINE, "temperature": temperature, "step_duration": STEP_DURATION,
            "attempt_frequency": ATTEMPT_FREQUENCY}


def experiment_encoder(name: str) -> FieldLoopEncoder:
    """The field loop of array ``name`` ramped in :data:`STEPS_PER_HALF` steps per half."""
    if name not in PRESETS:
        raise ValueError(f"array must be one of {sorted(PRESETS)}, got {name!r}")
    h_min, h_max, angle = FIELD_WINDOWS[name]
    return FieldLoopEncoder(h_min=h_min, h_max=h_max, angle_deg=angle,
                            steps_per_half=STEPS_PER_HALF)


def experiment_preset(name: str, size: Sequence[int] = (10, 10), seed: int | None = 0, *,
                      temperature: float = TEMPERATURE,
                      instrument: FMRInstrument | None = EXPERIMENT_INSTRUMENT,
                      **reservoir_params) -> SpinIceReservoir:
    """Array ``name`` (``"MS"``, ``"WM"``, ``"PW"``) under laboratory conditions.

    Args:
        size: (nx, ny) lattice cells.
        seed: seeds the array (disorder, layout), thermal and vortex draws and the instrument.
        temperature: sample temperature, K (0 gives athermal switching on the same ramp).
        instrument: FMR instrument model; ``None`` observes exact spectra.
        reservoir_params: further :class:`SpinIceReservoir` arguments; an ``engine_params``
            or ``encoder`` given here replaces the experiment's.
    """
    settings = {"engine_params": experiment_engine(temperature),
                "encoder": experiment_encoder(name), **reservoir_params}
    return preset(name, size, seed, instrument=instrument, **settings)
