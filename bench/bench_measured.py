"""Loading and preprocessing measured spectra: nanomag vs PRCpy 0.1.14 on the same folder.

Both read PRCpy's layout (one CSV per input step, 1,601 frequency points) and apply PRCpy's
tutorial preprocessing: background subtraction, Savitzky-Golay (window 51, order 4), global
min-max normalisation, decimation by 16.

- nanomag: ``read_folder`` + ``read_background`` + ``prcpy_pipeline(bg).fit_transform``.
- PRCpy: ``Pipeline(folder, "scan", params)`` as its tutorials build it (the constructor
  loads and processes the folder, twice: once for the readout and once for the metrics),
  timed inside a subprocess running PRCpy's interpreter (PRCpy needs numpy < 2).  Its single
  ``Prepare`` load + ``process_data`` is timed and printed too.

Each time is the best of REPEATS calls after one warm-up call (numba JIT caches), as wall
time and as CPU time of the process (all its threads; steadier on a shared machine).  The
processed matrices of the two must agree (max abs difference printed).  A second, larger
folder of LARGE files (the measured spectra repeated, written by ``write_folder`` into a
temporary folder) shows how both scale; PRCpy is timed once there.

Run: python bench/bench_measured.py [--data ../shared/data/prcpy-cu2oseo3]
     [--prcpy-python /path/to/python-with-prcpy] [--repeats 7] [--large 501]
The last line printed is ``speed-up N x`` (PRCpy tutorial wall time / nanomag wall time,
shared set).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import xarray as xr
from _common import header

from nanomag.measured import prcpy_pipeline, read_background, read_folder, write_folder

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "prcpy-cu2oseo3"
DEFAULT_PRCPY = Path("/work/peers/prcpy/bin/python")
FOLDER = "mg_mapping_conical"
BACKGROUND = "BG_450mT_1_0to6_0GHz_4K.txt"

#: Runs inside PRCpy's interpreter: argv = folder, background file name, repeats, output
#: .npy, whether to time one Prepare too; prints the best times as JSON.
PRCPY_SCRIPT = r"""
import contextlib, io, json, sys, time
import numpy as np
from prcpy.RC.Pipeline_RC import Pipeline
from prcpy.RC.Prepare_RC import Prepare

folder, background, repeats, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
time_once = sys.argv[5] == "1"
params = {"Xs": "Frequency", "Readouts": "Spectra", "remove_bg": True,
          "bg_fname": background, "smooth": True, "smooth_win": 51,
          "smooth_rank": 4, "cut_xs": False, "x1": 0, "x2": 0, "normalize_local": False,
          "normalize_global": True, "sample": True, "sample_rate": 16, "delimiter": ",",
          "transpose": False}

def best(fn):
    walls, cpus = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (min(walls), min(cpus)), result

def prepare_once():
    prep = Prepare(folder, "scan")
    prep.create_experiment_df(Xs_idx="Frequency", Readouts_idx="Spectra", delimiter=",")
    prep.process_data(**params)
    return prep.rc_df

with contextlib.redirect_stdout(io.StringIO()):
    tutorial, pipeline = best(lambda: Pipeline(folder, "scan", dict(params)))
    once = best(prepare_once)[0] if time_once else None
np.save(out, pipeline.get_rc_df().to_numpy(dtype=np.float64))
print(json.dumps({"tutorial": tutorial, "once": once, "numpy": np.__version__}))
"""


def nanomag_run(folder: Path) -> xr.DataArray:
    """nanomag's load + PRCpy-tutorial preprocessing of ``folder``."""
    data = read_folder(folder)
    background = read_background(folder / BACKGROUND, like=data)
    return prcpy_pipeline(background).fit_transform(data)


def best_time(fn, repeats: int):
    """Best wall and best CPU time (s) of ``repeats`` calls after one warm-up call, and the
    last result."""
    out = fn()
    walls, cpus = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (min(walls), min(cpus)), out


def prcpy_run(python: Path, folder: Path, repeats: int,
              once: bool = True) -> tuple[dict, np.ndarray]:
    """PRCpy's best times on ``folder`` (in its own interpreter: the tutorial Pipeline and,
    with ``once``, one Prepare) and its processed matrix."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "prcpy.npy"
        argv = [str(python), "-c", PRCPY_SCRIPT, str(folder), BACKGROUND, str(repeats),
                str(out), "1" if once else "0"]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1]), np.load(out)


def large_folder(source: Path, n_files: int, target: Path) -> Path:
    """``n_files`` per-step files cycling through ``source``'s spectra, plus its background."""
    data = read_folder(source)
    index = np.arange(n_files) % data.sizes["step"]
    big = data.isel(step=index).assign_coords(step=np.arange(1, n_files + 1))
    write_folder(big, target)
    shutil.copy(source / BACKGROUND, target / BACKGROUND)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--prcpy-python", type=Path,
                        default=DEFAULT_PRCPY if DEFAULT_PRCPY.exists() else None)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--large", type=int, default=501, help="files in the scaling folder")
    args = parser.parse_args()
    folder = args.data / FOLDER
    print(header(f", Python {platform.python_version()}, numpy {np.__version__}"))
    print(f"# command: python {' '.join(sys.argv)}")
    ours, processed = best_time(lambda: nanomag_run(folder), args.repeats)
    n_steps, n_points = read_folder(folder).shape
    print(f"{folder.name}: {n_steps} files x {n_points} points, best of {args.repeats} "
          "(wall / CPU)")
    print(f"nanomag  load + preprocess   {ms(ours)}")
    if args.prcpy_python is None:
        print("PRCpy not available (--prcpy-python): no comparison")
        return
    peer, peer_matrix = prcpy_run(args.prcpy_python, folder, args.repeats)
    print(f"PRCpy    Pipeline (tutorial) {ms(peer['tutorial'])}   (numpy {peer['numpy']})")
    print(f"PRCpy    one Prepare         {ms(peer['once'])}")
    diff = float(np.max(np.abs(processed.values - peer_matrix)))
    print(f"processed {processed.shape} vs PRCpy {peer_matrix.shape}: max abs difference "
          f"{diff:.2e}")
    with tempfile.TemporaryDirectory() as tmp:
        big = large_folder(folder, args.large, Path(tmp) / "large")
        ours_big, _ = best_time(lambda: nanomag_run(big), args.repeats)
        peer_big, _ = prcpy_run(args.prcpy_python, big, 1, once=False)
    print(f"{args.large} files: nanomag {ms(ours_big)} (best of {args.repeats}), PRCpy "
          f"Pipeline {ms(peer_big['tutorial'])} (once): {ratio(peer_big['tutorial'], ours_big)}")
    print(f"{n_steps} files: PRCpy Pipeline / nanomag {ratio(peer['tutorial'], ours)}; "
          f"one Prepare / nanomag {ratio(peer['once'], ours)}")
    print(f"speed-up {peer['tutorial'][0] / ours[0]:.0f} x")


def ms(times) -> str:
    """``(wall, cpu)`` seconds as text in ms."""
    return f"{times[0] * 1e3:9.1f} / {times[1] * 1e3:9.1f} ms"


def ratio(slow, fast) -> str:
    """Wall and CPU ratios of two ``(wall, cpu)`` times."""
    return f"{slow[0] / fast[0]:.0f}x wall, {slow[1] / fast[1]:.0f}x CPU"


if __name__ == "__main__":
    main()
