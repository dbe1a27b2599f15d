"""Reading lines from a ringdown: the spectrum of a small-tilt trace and its peaks.

The rules by which the magnum.np ringdowns of ``validation/`` are read, shared with the mode
solver, which reads its own ringdowns the same way (:meth:`nanomag.fmr.bar_modes.
BarModeSolver.ringdown_bulk`): the trace is detrended, Hann-windowed and zero-padded 32x.
"""

from __future__ import annotations

import numpy as np

SAMPLE_S = 5e-12  # sampling step of the reference ringdowns, s
DURATION_S = 2e-9  # their length, s: lines closer than about 0.5 GHz read as one


def power_spectrum(trace: np.ndarray, dt: float, fmin: float = 1e9
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies Hz, power) of a ringdown sampled every ``dt`` (s); power below ``fmin``
    (Hz) is set to zero."""
    t = np.arange(trace.size)
    x = (trace - np.polyval(np.polyfit(t, trace, 1), t)) * np.hanning(trace.size)
    nfft = 32 * trace.size
    power = np.abs(np.fft.rfft(x, nfft)) ** 2
    freq = np.fft.rfftfreq(nfft, dt)
    power[freq < fmin] = 0.0
    return freq, power


def peaks_below(freq: np.ndarray, power: np.ndarray, ceiling: float,
                min_rel: float = 1e-3) -> np.ndarray:
    """Indices of the local maxima below ``ceiling`` (Hz) with at least ``min_rel`` of the
    spectrum's maximum, in increasing frequency."""
    is_peak = (power[1:-1] > power[:-2]) & (power[1:-1] > power[2:])
    lower = np.flatnonzero(is_peak & (freq[1:-1] < ceiling)) + 1
    return lower[power[lower] > min_rel * power.max()]


def strongest_line(trace: np.ndarray, dt: float) -> float:
    """Frequency (Hz) of the strongest peak of a ringdown sampled every ``dt`` (s)."""
    freq, power = power_spectrum(trace, dt)
    return float(freq[np.argmax(power)])
