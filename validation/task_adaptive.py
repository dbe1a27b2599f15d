"""Task-adaptive reconfiguration: the trained state (training loops per input) chosen per task.

Run: ``python validation/task_adaptive.py [--size 6 6] [--n-inputs 300] [--seeds 0 1]``.
For the WM and PW arrays, exact and with the experiment preset's instrument (30 dB, 0.1 mT
jitter), prints per seed the test NMSE of every state on Mackey-Glass t+3 and
sin -> cos 2t sin 3t, the states chosen per task by validation, the one fixed state and the
gain of the per-task choice over it (:func:`nanomag.experiments.task_adaptive`).
"""

from __future__ import annotations

import argparse

from nanomag.experiments import task_adaptive
from nanomag.experiments.experiment_like import EXPERIMENT_INSTRUMENT
from nanomag.experiments.reconfiguration import TASKS

STATES = (0, 1, 2, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, nargs=2, default=(6, 6), help="lattice cells")
    parser.add_argument("--n-inputs", type=int, default=300, help="inputs per drive")
    parser.add_argument("--seeds", type=int, nargs="+", default=(0, 1), help="array seeds")
    args = parser.parse_args()
    print("| array | readout | seed | " + " | ".join(
        f"{task}: test NMSE at n_train {', '.join(map(str, STATES))}" for task in TASKS)
        + " | chosen | fixed | gain |")
    print("|---|---|---|---|---|---|---|---|")
    for array in ("WM", "PW"):
        for label, instrument in (("exact", None), ("30 dB", EXPERIMENT_INSTRUMENT)):
            for seed in args.seeds:
                ds = task_adaptive(array, STATES, size=tuple(args.size), n_inputs=args.n_inputs,
                                   seed=seed, instrument=instrument)
                cells = [", ".join(f"{v:.4f}" for v in ds.test_nmse.sel(task=t).values)
                         for t in TASKS]
                print(f"| {array} | {label} | {seed} | " + " | ".join(cells)
                      + f" | {', '.join(map(str, ds.chosen.values))} | {int(ds.fixed)} | "
                      + ", ".join(f"{g:.2f}" for g in ds.gain.values) + " |")


if __name__ == "__main__":
    main()
