"""Instrument model of a field-swept FMR measurement: noise, jitter and averaging.

The readout (:class:`~nanomag.fmr.FMRReadout`) gives the exact spectrum of a microstate.  A
measured spectrum differs from it in three ways, each drawn independently per observed step
(one step = one spectrum of the series):

* **field jitter**: the bias field the magnet actually holds is the set value plus
  ``N(0, field_jitter^2)`` (T, along the bias direction);
* **frequency jitter**: the whole frequency axis of the step is shifted by
  ``N(0, frequency_jitter^2)`` (Hz): channel ``f_m`` records the spectrum at ``f_m + df_t``;
* **additive noise**: white Gaussian noise, independent per channel and step, at a stated
  signal-to-noise ratio, reduced by averaging ``n_averages`` sweeps.

Signal-to-noise ratio (amplitude ratio, in dB)::

    snr_db = 20 log10(S_rms / sigma_1)

``sigma_1`` is the noise standard deviation of one sweep and ``S_rms`` the root mean square of
the noiseless (jittered) spectrum over the observed series: over all steps and channels for
``snr_reference="spectrum"`` (one noise floor for the whole spectrum, as for a network analyser
whose noise does not depend on frequency), or over the steps of each channel separately for
``"channel"`` (every channel at the same SNR).  Averaging ``n`` sweeps leaves noise of standard
deviation ``sigma_1 / sqrt(n)``, i.e. an SNR ``10 log10(n)`` dB higher; the jitter is drawn
once per step (the sweeps of one step share the field and frequency axis).  The noise level is
set per call, from the series being measured.

Every default is off, and with everything off :meth:`FMRInstrument.measure` returns the exact
spectra of :meth:`FMRReadout.spectra` bit for bit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import xarray as xr

from nanomag._validate import as_float_array, positive, positive_int
from nanomag.fmr.spectrum import FMRReadout

SNR_REFERENCES = ("spectrum", "channel")
#: Fine-grid points per channel spacing for frequency jitter (linear interpolation between them:
#: error below 0.3 % of the peak for lines wider than 0.2 GHz on 80 MHz channels).
_OVERSAMPLE = 16


@dataclass(frozen=True)
class FMRInstrument:
    """Noise, jitter and averaging of an FMR measurement (see the module docstring).

    Attributes:
        snr_db: single-sweep signal-to-noise ratio, dB (``20 log10`` of the amplitude ratio);
            ``None`` adds no noise.
        snr_reference: ``"spectrum"`` (one noise level from the RMS over all channels and
            steps) or ``"channel"`` (a noise level per channel from its RMS over the steps).
        n_averages: sweeps averaged per step; the noise falls as ``1 / sqrt(n_averages)``.
        field_jitter: standard deviation of the readout bias field per step, T.
        frequency_jitter: standard deviation of the shift of the frequency axis per step, Hz.
    """

    snr_db: float | None = None
    snr_reference: str = "spectrum"
    n_averages: int = 1
    field_jitter: float = 0.0
    frequency_jitter: float = 0.0

    def __post_init__(self) -> None:
        if self.snr_db is not None:
            as_float_array(self.snr_db, "FMRInstrument.snr_db", ())
        if self.snr_reference not in SNR_REFERENCES:
            raise ValueError(f"FMRInstrument.snr_reference must be one of {SNR_REFERENCES}, "
                             f"got {self.snr_reference!r}")
        positive_int(self.n_averages, "FMRInstrument.n_averages")
        positive(self.field_jitter, "FMRInstrument.field_jitter", allow_zero=True)
        positive(self.frequency_jitter, "FMRInstrument.frequency_jitter", allow_zero=True)

    @property
    def is_exact(self) -> bool:
        """True when the instrument adds nothing (no noise, no jitter)."""
        return self.snr_db is None and self.field_jitter == 0 and self.frequency_jitter == 0

    def noise_std(self, spectra: np.ndarray) -> np.ndarray:
        """Noise standard deviation after averaging for noiseless ``spectra`` (T, M): a scalar
        array (``"spectrum"``) or (M,) (``"channel"``); 0 without noise."""
        if self.snr_db is None:
            return np.zeros(())
        axis = None if self.snr_reference == "spectrum" else 0
        rms = np.sqrt(np.mean(np.square(spectra), axis=axis))
        return rms / 10 ** (float(self.snr_db) / 20) / np.sqrt(self.n_averages)

    def measure(self, readout: FMRReadout, spins, vortices=None, bias_fields=0.0, *,
                derivative: bool = False, rng: np.random.Generator) -> xr.DataArray:
        """Measured spectra of a series of microstates (arguments as
        :meth:`FMRReadout.spectra`).

        Args:
            rng: the generator of every draw; field jitter, frequency jitter and noise each
                take their own child stream (:meth:`numpy.random.Generator.spawn`), so turning
                one on or off leaves the others' draws unchanged.

        Returns:
            DataArray (time, frequency) as :meth:`FMRReadout.spectra`, with the set bias as
            ``bias`` and the draws as coordinates ``field_jitter`` (T) and
            ``frequency_shift`` (Hz) along ``time``; attribute ``noise_std`` (max over
            channels, spectrum units).
        """
        if self.is_exact:
            _check_generator(rng)
            return readout.spectra(spins, vortices, bias_fields, derivative=derivative)
        values, nominal, field_shift, freq_shift, sigma = self._measured(
            readout, spins, vortices, bias_fields, derivative, rng)
        return xr.DataArray(
            values,
            dims=("time", "frequency"),
            coords={
                "time": np.arange(values.shape[0]),
                "frequency": ("frequency", readout.frequencies, {"units": "Hz"}),
                "bias": ("time", np.array(nominal), {"units": "T", "long_name": "set bias"}),
                "field_jitter": ("time", field_shift, {"units": "T"}),
                "frequency_shift": ("time", freq_shift, {"units": "Hz"}),
            },
            name="dP_dH" if derivative else "absorption",
            attrs={"units": "1/(Hz T)" if derivative else "1/Hz",
                   "bias_angle_rad": readout.bias_angle,
                   "noise_std": float(np.max(sigma)), "snr_reference": self.snr_reference,
                   "n_averages": int(self.n_averages)},
        )

    def measure_array(self, readout: FMRReadout, spins, vortices=None, bias_fields=0.0, *,
                      derivative: bool = False, rng: np.random.Generator) -> np.ndarray:
        """:meth:`measure` without the labels: the (T, M) measured values, drawn the same way
        (the same ``rng`` gives the same values)."""
        if self.is_exact:
            _check_generator(rng)
            return readout.spectra_array(spins, vortices, bias_fields, derivative=derivative)
        return self._measured(readout, spins, vortices, bias_fields, derivative, rng)[0]

    def _measured(self, readout, spins, vortices, bias_fields, derivative, rng):
        """``(values, nominal bias, field shifts, frequency shifts, noise std)`` of one
        measurement by a noisy or jittered instrument."""
        _check_generator(rng)
        n_steps = np.shape(spins)[0] if np.ndim(spins) == 2 else 0
        if n_steps == 0:
            raise ValueError(f"spins must be a (T, N) array, got shape {np.shape(spins)}")
        field_rng, frequency_rng, noise_rng = rng.spawn(3)
        nominal = np.broadcast_to(as_float_array(bias_fields, "bias_fields"), (n_steps,))
        field_shift = self.field_jitter * field_rng.standard_normal(n_steps)
        freq_shift = self.frequency_jitter * frequency_rng.standard_normal(n_steps)
        if self.frequency_jitter > 0:
            values = _shifted_spectra(readout, spins, vortices, nominal + field_shift,
                                      freq_shift, derivative)
        else:
            values = readout.spectra_array(spins, vortices, nominal + field_shift,
                                           derivative=derivative)
        sigma = self.noise_std(values)
        if self.snr_db is not None:
            values = values + sigma * noise_rng.standard_normal(values.shape)
        return values, nominal, field_shift, freq_shift, sigma


def _check_generator(rng) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")


def _shifted_spectra(readout: FMRReadout, spins, vortices, biases: np.ndarray,
                     shifts: np.ndarray, derivative: bool) -> np.ndarray:
    """(T, M) spectra with channel ``f_m`` of step ``t`` read at ``f_m + shifts[t]`` (Hz):
    exact spectra on a uniform grid ``_OVERSAMPLE`` times finer than the narrowest channel
    spacing, covering every shifted channel, interpolated linearly."""
    freqs = readout.frequencies
    spacing = np.min(np.diff(freqs)) if freqs.size > 1 else max(float(np.max(np.abs(shifts))), 1.0)
    step = spacing / _OVERSAMPLE
    start = freqs[0] + shifts.min()
    n_fine = int(np.ceil((freqs[-1] + shifts.max() - start) / step)) + 2
    fine = copy.copy(readout)
    fine.frequencies = start + step * np.arange(n_fine)
    if fine.frequencies[0] < 0:
        raise ValueError("frequency_jitter shifts the frequency axis below 0 Hz")
    dense = fine.spectra_array(spins, vortices, biases, derivative=derivative)
    position = (freqs[None, :] + shifts[:, None] - start) / step
    left = np.clip(np.floor(position).astype(np.int64), 0, n_fine - 2)
    frac = position - left
    rows = np.arange(dense.shape[0])[:, None]
    return (1.0 - frac) * dense[rows, left] + frac * dense[rows, left + 1]
