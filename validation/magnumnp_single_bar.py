"""Single-bar FMR with the micromagnetic solver magnum.np, against nanomag's macrospin model.

Not part of the test suite.  Needs magnum.np and torch in a separate environment, e.g.::

    python -m venv --system-site-packages /work/peers/magnumnp
    /work/peers/magnumnp/bin/pip install torch==2.13.0 magnumnp
    /work/peers/magnumnp/bin/python validation/magnumnp_single_bar.py --widths 150 200 250

For each width and bias field (along the bar's long axis): relax a 600 x W x 20 nm permalloy
bar at damping 1, tilt the magnetisation by a small uniform in-plane angle, let it ring down
at damping 0.01, and take the FFT (Hann window, zero-padded) of the average transverse
magnetisation <m_y>.  The strongest peak is the bulk mode; the strongest peak below it, if any,
is reported as the edge mode.  Writes one CSV row per run.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np

from nanomag.fmr.ringdown import SAMPLE_S, peaks_below, power_spectrum

LENGTH_NM = 600.0
THICKNESS_NM = 20.0
MS = 800e3
EXCHANGE = 13e-12
DAMPING = 0.01
TILT_RAD = 0.02
# Relax from a canted start: the perfectly axial state is a saddle that a later tilt would
# push, slowly, into the S-like ground state, polluting the ringdown.
RELAX_START_RAD = 0.1


def ringdown(width_nm: float, field_t: float, cell_nm: float, duration_s: float,
             length_nm: float = LENGTH_NM, thickness_nm: float = THICKNESS_NM,
             layers: int = 1, relax_iter: int = 500) -> tuple[np.ndarray, float]:
    """Transverse magnetisation ``m_y`` averaged over each column of cells across the bar,
    (steps, columns along the length), sampled every SAMPLE_S after a small uniform tilt of
    the relaxed bar, and the relaxed <m_x> (near 1 when the bar stays magnetised along +x, its
    starting direction).  The bar average <m_y>(t) is the mean over the columns.

    Cells are ``cell_nm`` in plane and ``thickness_nm / layers`` through the thickness.
    """
    import torch

    torch.set_num_threads(1)
    import magnumnp as mn

    n = (round(length_nm / cell_nm), round(width_nm / cell_nm), layers)
    mesh = mn.Mesh(n, (cell_nm * 1e-9, cell_nm * 1e-9, thickness_nm / layers * 1e-9))
    state = mn.State(mesh)
    state.material = {"Ms": MS, "A": EXCHANGE, "alpha": DAMPING}
    state.m = state.Constant([np.cos(RELAX_START_RAD), np.sin(RELAX_START_RAD), 0.0])
    external = mn.ExternalField([field_t / mn.constants.mu_0, 0.0, 0.0])
    llg = mn.LLGSolver([mn.DemagField(), mn.ExchangeField(), external])
    if not llg.relax(state, maxiter=relax_iter, dm_tol=1e1):
        raise RuntimeError(f"relaxation did not converge (w={width_nm} nm, B={field_t} T)")
    m = state.m.clone()
    mx_relaxed = float(m[..., 0].mean())
    mx, my = m[..., 0].clone(), m[..., 1].clone()
    c, s = np.cos(TILT_RAD), np.sin(TILT_RAD)
    m[..., 0], m[..., 1] = c * mx - s * my, s * mx + c * my
    state.m = m
    trace = []
    for _ in range(round(duration_s / SAMPLE_S)):
        llg.step(state, SAMPLE_S)
        trace.append(state.m[..., 1].mean(dim=(1, 2)).cpu().numpy())
    return np.asarray(trace), mx_relaxed


def strongest_peak_below(freq: np.ndarray, power: np.ndarray, ceiling: float) -> float:
    """Frequency (Hz) of the strongest of :func:`peaks_below`; NaN when there is none."""
    lower = peaks_below(freq, power, ceiling)
    return float(freq[lower[np.argmax(power[lower])]]) if lower.size else float("nan")


def peak_frequencies(trace: np.ndarray, dt: float, fmin: float = 1e9) -> tuple[float, float]:
    """(bulk, edge) peak frequencies in Hz of a bar-averaged ringdown: the strongest peak, and
    the strongest below 0.8 of it (NaN when no lower peak shows)."""
    freq, power = power_spectrum(trace, dt, fmin)
    bulk = float(freq[np.argmax(power)])
    return bulk, strongest_peak_below(freq, power, 0.8 * bulk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=float, nargs="+", default=[150.0, 200.0, 250.0])
    parser.add_argument("--fields", type=float, nargs="+", default=[0.02], help="tesla")
    parser.add_argument("--cell", type=float, default=10.0, help="cell size, nm")
    parser.add_argument("--duration", type=float, default=2e-9, help="ringdown, s")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("magnumnp_results.csv"))
    args = parser.parse_args()

    from nanomag.fmr.demag import prism_demag_factors
    from nanomag.fmr.kittel import kittel_mode

    rows = []
    for width in args.widths:
        for field in args.fields:
            t0 = time.perf_counter()
            columns, _ = ringdown(width, field, args.cell, args.duration)
            bulk, edge = peak_frequencies(columns.mean(axis=1), SAMPLE_S)
            factors = prism_demag_factors(LENGTH_NM, width, THICKNESS_NM)
            macro = float(kittel_mode(field, 0.0, 1, factors)["frequency"][0])
            row = {"width_nm": width, "field_T": field, "cell_nm": args.cell,
                   "duration_s": args.duration, "bulk_GHz": round(bulk / 1e9, 3),
                   "edge_GHz": round(edge / 1e9, 3), "macrospin_GHz": round(macro / 1e9, 3),
                   "wall_s": round(time.perf_counter() - t0, 1)}
            print(row, flush=True)
            rows.append(row)
    with open(args.out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
