"""Modes of a vortex-state bar against the macrospin bar, with magnum.np.

Not part of the test suite.  Needs magnum.np and torch in a separate environment (see
``magnumnp_single_bar.py``)::

    PYTHONPATH=$PWD/src:$PWD/validation /work/peers/magnumnp/bin/python \\
        validation/magnumnp_vortex_modes.py --widths 200 250 300

For each 600 x W x 20 nm permalloy bar (10 nm cells) and each start state (a vortex at the
bar centre, or uniform along +x canted 0.1 rad): relax at damping 1 in a small in-plane field
across the bar (``PUMP_T`` along +y, plus the bias along +x), switch the pump off and let the
bar ring down for 2 ns at damping 0.01; FFT (Hann window, 32x zero padding) of <m_y>.  Peaks
above 1 GHz with at least 2 % of the strongest amplitude are listed with their amplitude
relative to the macrospin bulk peak of the same bar: the share of the uniform transverse
susceptibility (the weight of the line for a uniform rf field).  One CSV row per peak.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
from magnumnp_single_bar import EXCHANGE, MS, SAMPLE_S

PUMP_T = 1e-3
LENGTH_NM, THICKNESS_NM, CELL_NM = 600.0, 20.0, 10.0
CORE_NM = 10.0
MIN_REL = 0.02


def ringdown(width_nm: float, field_t: float, vortex: bool, duration_s: float
             ) -> tuple[np.ndarray, float]:
    """<m_y>(t) after the pump is switched off, and the relaxed |<m_x>|."""
    import torch

    torch.set_num_threads(1)
    import magnumnp as mn

    n = (round(LENGTH_NM / CELL_NM), round(width_nm / CELL_NM), 1)
    mesh = mn.Mesh(n, (CELL_NM * 1e-9, CELL_NM * 1e-9, THICKNESS_NM * 1e-9))
    state = mn.State(mesh)
    state.material = {"Ms": MS, "A": EXCHANGE, "alpha": 1.0}
    x = (np.arange(n[0]) + 0.5 - n[0] / 2) * CELL_NM
    y = (np.arange(n[1]) + 0.5 - n[1] / 2) * CELL_NM
    xx, yy = np.meshgrid(x, y, indexing="ij")
    if vortex:
        mz = np.exp(-(xx ** 2 + yy ** 2) / (2 * CORE_NM ** 2)) * 5.0
        m0 = np.stack([-yy, xx, mz * (np.hypot(xx, yy) + 1.0)], axis=-1)
    else:
        m0 = np.stack([np.full_like(xx, np.cos(0.1)), np.full_like(xx, np.sin(0.1)),
                       np.zeros_like(xx)], axis=-1)
    m0 = m0 / np.linalg.norm(m0, axis=-1, keepdims=True)
    state.m = torch.tensor(m0[:, :, None, :], dtype=state.dtype)
    mu0 = mn.constants.mu_0
    pump = mn.ExternalField([field_t / mu0, PUMP_T / mu0, 0.0])
    llg = mn.LLGSolver([mn.DemagField(), mn.ExchangeField(), pump])
    if not llg.relax(state, maxiter=3000, dm_tol=1e1):
        raise RuntimeError(f"relaxation did not converge (w={width_nm} nm, vortex={vortex})")
    mx = abs(float(state.m[..., 0].mean()))
    state.material = {"Ms": MS, "A": EXCHANGE, "alpha": 0.01}
    bias = mn.ExternalField([field_t / mu0, 0.0, 0.0])
    llg = mn.LLGSolver([mn.DemagField(), mn.ExchangeField(), bias])
    trace = []
    for _ in range(round(duration_s / SAMPLE_S)):
        llg.step(state, SAMPLE_S)
        trace.append(float(state.m[..., 1].mean()))
    return np.asarray(trace), mx


def peaks(trace: np.ndarray, dt: float, fmin: float = 1e9) -> list[tuple[float, float]]:
    """(frequency Hz, FFT amplitude) of the local maxima above ``fmin`` and MIN_REL."""
    t = np.arange(trace.size)
    x = (trace - np.polyval(np.polyfit(t, trace, 1), t)) * np.hanning(trace.size)
    nfft = 32 * trace.size
    amp = np.abs(np.fft.rfft(x, nfft))
    freq = np.fft.rfftfreq(nfft, dt)
    amp[freq < fmin] = 0.0
    top = amp.max()
    is_peak = (amp[1:-1] > amp[:-2]) & (amp[1:-1] > amp[2:]) & (amp[1:-1] > MIN_REL * top)
    idx = np.flatnonzero(is_peak) + 1
    return [(float(freq[i]), float(amp[i])) for i in idx]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=float, nargs="+", default=[200.0, 250.0, 300.0])
    parser.add_argument("--field", type=float, default=0.0, help="bias along the bar, T")
    parser.add_argument("--duration", type=float, default=2e-9, help="ringdown, s")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).with_name("magnumnp_vortex_modes.csv"))
    args = parser.parse_args()
    fields = ["width_nm", "field_T", "state", "mx_relaxed", "frequency_GHz",
              "amplitude_rel_macrospin", "wall_s"]
    with open(args.out, "w", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields).writeheader()
    for width in args.widths:
        results = {}
        for vortex in (False, True):
            t0 = time.perf_counter()
            trace, mx = ringdown(width, args.field, vortex, args.duration)
            results[vortex] = (peaks(trace, SAMPLE_S), mx, time.perf_counter() - t0)
        bulk = max(a for _, a in results[False][0])
        with open(args.out, "a", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            for vortex, (found, mx, wall) in results.items():
                for f, a in found:
                    row = {"width_nm": width, "field_T": args.field,
                           "state": "vortex" if vortex else "macrospin",
                           "mx_relaxed": round(mx, 4), "frequency_GHz": round(f / 1e9, 3),
                           "amplitude_rel_macrospin": round(a / bulk, 4),
                           "wall_s": round(wall, 1)}
                    writer.writerow(row)
                    print(row, flush=True)


if __name__ == "__main__":
    main()
