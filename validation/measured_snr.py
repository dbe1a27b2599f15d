"""Signal-to-noise ratio of measured FMR reservoir spectra (Cu2OSeO3, PRCpy examples).

Run: ``python validation/measured_snr.py [--data ../shared/data/prcpy-cu2oseo3]``.
For each measured series (one spectrum per input step, 1-6 GHz in 1,601 points) the
background spectrum is subtracted; the signal is the RMS over all steps and points, as in
:class:`nanomag.fmr.instrument.FMRInstrument` (``snr_reference="spectrum"``).  The noise is
estimated as the standard deviation of the residual after Savitzky-Golay smoothing (order 4)
along the frequency axis.  Every residual holds some signal (fine spectral structure), so
each estimate is an upper bound on the white-noise level and the SNR a lower bound; the
narrowest window gives the tightest bound.  Prints a markdown table.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
from scipy.signal import savgol_filter

SERIES = ("mg_mapping_conical", "sine_mapping_conical")
WINDOWS = (11, 21, 51)


def load_series(folder: Path) -> np.ndarray:
    """(steps, points) background-subtracted spectra, steps in natural order."""
    def step(path: Path) -> int:
        return int(re.match(r"scan_(\d+)_", path.name).group(1))

    files = sorted(folder.glob("scan_*.txt"), key=step)
    if not files:
        raise FileNotFoundError(f"no scan_*.txt files in {folder}")
    background = np.loadtxt(next(folder.glob("BG_*.txt")), delimiter=",", skiprows=1)[:, 3]
    return np.stack([np.loadtxt(f, delimiter=",", skiprows=1)[:, 3] for f in files]) - background


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--data", type=Path, default=here.parent.parent / "shared" / "data"
                        / "prcpy-cu2oseo3", help="folder of the PRCpy Cu2OSeO3 examples")
    args = parser.parse_args()
    print("| series | steps x points | signal RMS | "
          + " | ".join(f"noise (window {w}) / SNR dB" for w in WINDOWS) + " |")
    print("|---|---|---|" + "---|" * len(WINDOWS))
    for name in SERIES:
        spectra = load_series(args.data / name)
        rms = np.sqrt(np.mean(spectra**2))
        cells = []
        for w in WINDOWS:
            noise = np.std(spectra - savgol_filter(spectra, w, 4, axis=1))
            cells.append(f"{noise:.3f} / {20 * np.log10(rms / noise):.1f}")
        print(f"| {name} | {spectra.shape[0]} x {spectra.shape[1]} | {rms:.2f} | "
              + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
