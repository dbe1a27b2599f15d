"""500-unit echo-state network: time per step and Mackey-Glass t+1 NRMSE, nanomag vs reservoirpy.

Both networks use the same hyper-parameters (500 units, 10 % connectivity, spectral radius
0.9, leak 0.3, input scaling 0.5, no bias; input weights dense, uniform for nanomag and
+/-1 for reservoirpy) on the same Mackey-Glass series (nanomag's
generator, tau 17, sampled every 1.0), 2,000 steps to train after a 100-step washout and
1,000 to test.  Each uses its own ridge readout (alpha 1e-6, intercept); NRMSE is RMSE over
the target's standard deviation (nanomag.metrics.nrmse) for both.  Times: median of REPEATS
runs over the full 3,100-step series, the two engines' runs interleaved so that load from
other users of a shared machine hits both alike (first calls excluded: JIT compilation).

Run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python bench/bench_esn.py
"""

from __future__ import annotations

import time

import numpy as np

from nanomag.metrics import nrmse
from nanomag.readout import RidgeReadout
from nanomag.substrates import EchoStateNetwork
from nanomag.tasks import make_task

UNITS, WASHOUT, TRAIN, TEST, REPEATS, ALPHA = 500, 100, 2000, 1000, 11, 1e-6
PARAMS = dict(spectral_radius=0.9, leak_rate=0.3, input_scaling=0.5, connectivity=0.1)


def median_times(*fns):
    """Median wall time of each function over REPEATS interleaved calls, and its last result."""
    outs = [fn() for fn in fns]
    times = [[] for _ in fns]
    for _ in range(REPEATS):
        for k, fn in enumerate(fns):
            t0 = time.perf_counter()
            outs[k] = fn()
            times[k].append(time.perf_counter() - t0)
    return [float(np.median(t)) for t in times], outs


def reservoirpy_run(u: np.ndarray):
    """A function running reservoirpy's equivalent ESN over ``u`` from its reset state, and
    the reservoirpy modules; None when reservoirpy is not installed."""
    try:
        import reservoirpy
        from reservoirpy.nodes import Reservoir
    except ImportError:
        return None
    res = Reservoir(units=UNITS, sr=PARAMS["spectral_radius"], lr=PARAMS["leak_rate"],
                    input_scaling=PARAMS["input_scaling"], rc_connectivity=PARAMS["connectivity"],
                    input_connectivity=1.0, seed=0)
    X = u[:, None]

    def run():
        if hasattr(res, "state"):  # initialised by a previous run
            res.reset()
        return res.run(X)

    return run, reservoirpy


def main() -> None:
    task = make_task("mackey_glass", n_samples=WASHOUT + TRAIN + TEST, horizon=1)
    u, y = task.inputs, task.targets
    split = WASHOUT + TRAIN
    esn = EchoStateNetwork(n_units=UNITS, seed=0, **PARAMS)
    peer = reservoirpy_run(u)
    fns = [lambda: esn.transform(u)] + ([] if peer is None else [peer[0]])
    times, outs = median_times(*fns)
    ro = RidgeReadout(alphas=ALPHA, fit_intercept=True, scale_channels=False, washout=WASHOUT)
    err_ours = nrmse(y[split:], ro.fit(outs[0][:split], y[:split]).predict(outs[0][split:]))
    print(f"series {u.size} steps, {UNITS} units, median of {REPEATS} interleaved runs")
    print(f"nanomag     {times[0] / u.size * 1e6:7.2f} us/step   MG t+1 NRMSE {err_ours:.3e}")
    if peer is None:
        print("reservoirpy not installed: no comparison")
        return
    rpy, rstates = peer[1], outs[1]
    readout = rpy.nodes.Ridge(ridge=ALPHA).fit(rstates[WASHOUT:split], y[WASHOUT:split, None])
    err_ref = nrmse(y[split:], readout.run(rstates[split:]).ravel())
    print(f"reservoirpy {times[1] / u.size * 1e6:7.2f} us/step   MG t+1 NRMSE {err_ref:.3e}"
          f"   (reservoirpy {rpy.__version__})")
    print(f"speed ratio (reservoirpy / nanomag) {times[1] / times[0]:.2f}; "
          f"NRMSE ratio {err_ours / err_ref:.3f}")


if __name__ == "__main__":
    main()
