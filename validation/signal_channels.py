"""FMR channels with input-driven signal above the readout noise, with and without edge lines.

Run: ``python validation/signal_channels.py [--size 10 10] [--n-inputs 300]``.

Drives the exact MS / WM / PW presets (athermal, noiseless dP/dH, seed 0) with uniform inputs
and counts the channels whose standard deviation over the inputs (washout 20) exceeds the
single-sweep noise sigma ``RMS / 10^(SNR/20)`` of the experiment-like readout at 40 and 30 dB
(RMS over all inputs and channels, as :class:`nanomag.fmr.FMRInstrument` defines the SNR).
The nonlinearity measure fits the 60 highest-variance channels, so it counts noise as
nonlinearity once fewer than 60 channels rise above the noise.  Two mode tables: the default
one and the same without edge lines.  Prints a markdown table.
"""

from __future__ import annotations

import argparse

import numpy as np

from nanomag.experiments import experiment_preset
from nanomag.fmr import ModeTable

SNRS = (40.0, 30.0)


def tables() -> dict[str, ModeTable]:
    """The mode tables compared, by label."""
    return {"default": ModeTable(), "no edge lines": ModeTable(edge_weight=0.0)}


def channels_above_noise(observations: np.ndarray, snr_db: float) -> int:
    """Channels of ``observations`` (inputs, channels) whose standard deviation over the
    inputs exceeds the noise sigma at single-sweep SNR ``snr_db``."""
    sigma = np.sqrt(np.mean(observations**2)) / 10 ** (snr_db / 20)
    return int(np.count_nonzero(observations.std(axis=0) > sigma))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, nargs=2, default=(10, 10), help="lattice cells")
    parser.add_argument("--n-inputs", type=int, default=300, help="inputs per drive")
    args = parser.parse_args()
    inputs = np.random.default_rng(0).uniform(0.0, 1.0, args.n_inputs)
    print("| array | mode table | " + " | ".join(f"channels above {s:.0f} dB noise"
                                                 for s in SNRS) + " |")
    print("|---" * (2 + len(SNRS)) + "|")
    for name in ("MS", "WM", "PW"):
        for label, table in tables().items():
            x = experiment_preset(name, tuple(args.size), seed=0, temperature=0.0,
                                  instrument=None, modes=table).fit_transform(inputs)[20:]
            counts = " | ".join(str(channels_above_noise(x, s)) for s in SNRS)
            print(f"| {name} | {label} | {counts} |")


if __name__ == "__main__":
    main()
