"""Pin PRCpy 0.1.14's processed spectra on the measured Cu2OSeO3 sets, for nanomag's tests.

PRCpy needs numpy < 2, so this runs under a separate interpreter with PRCpy installed (it
never imports nanomag):

    /path/to/prcpy-python validation/prcpy_processed.py \
        --data ../shared/data/prcpy-cu2oseo3 --out tests/data/prcpy_processed.npz

For each set (``mg``, ``sine``) and each of two option sets it stores, of the processed
matrix (steps x readouts, as ``Prepare.rc_df`` holds it after ``process_data``), the rows
``ROWS``, the sum over steps and the sum over readouts, and its readout axis; and the raw
spectrum of the first step (as PRCpy reads it):

- ``tutorial``: background removal, Savitzky-Golay window 51 order 4, global min-max,
  decimation by 16 (PRCpy's tutorial settings);
- ``cut_local``: background removal, Savitzky-Golay window 21 order 3, cut to 2-5 GHz,
  local min-max, decimation by 7.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
from prcpy.RC.Prepare_RC import Prepare

BASE = {"remove_bg": True, "bg_fname": "BG_450mT_1_0to6_0GHz_4K.txt", "smooth": True}
OPTIONS = {
    "tutorial": {**BASE, "smooth_win": 51, "smooth_rank": 4, "normalize_global": True,
                 "sample": True, "sample_rate": 16},
    "cut_local": {**BASE, "smooth_win": 21, "smooth_rank": 3, "cut_xs": True, "x1": 2,
                  "x2": 5, "normalize_local": True, "sample": True, "sample_rate": 7},
}
ROWS = np.array([0, 1, 49, 99])
SETS = {"mg": "mg_mapping_conical", "sine": "sine_mapping_conical"}


def processed(folder: str, options: dict) -> tuple[np.ndarray, np.ndarray]:
    """PRCpy's processed matrix (steps x readouts) and readout axis for ``folder``."""
    prep = Prepare(folder, "scan")
    prep.create_experiment_df(Xs_idx="Frequency", Readouts_idx="Spectra", delimiter=",")
    prep.process_data(**options)
    return prep.rc_df.to_numpy(dtype=np.float64), np.asarray(prep.readout_xs, dtype=np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder holding the prcpy-cu2oseo3 sets")
    parser.add_argument("--out", required=True, help=".npz file to write")
    args = parser.parse_args()
    arrays = {}
    for key, name in SETS.items():
        folder = os.path.join(args.data, name)
        raw = Prepare(folder, "scan")
        raw.create_experiment_df(Xs_idx="Frequency", Readouts_idx="Spectra", delimiter=",")
        arrays[f"{key}_raw_first"] = raw.rc_df[raw.scan_cols[0]].to_numpy(dtype=np.float64)
        for option, params in OPTIONS.items():
            matrix, axis = processed(folder, params)
            arrays[f"{key}_{option}_rows"] = matrix[ROWS]
            arrays[f"{key}_{option}_step_sum"] = matrix.sum(axis=0)
            arrays[f"{key}_{option}_readout_sum"] = matrix.sum(axis=1)
            arrays[f"{key}_{option}_axis"] = axis
    np.savez_compressed(args.out, rows=ROWS, **arrays)


if __name__ == "__main__":
    main()
