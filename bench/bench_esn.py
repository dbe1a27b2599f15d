"""500-unit echo-state network: time per step and Mackey-Glass t+1 NRMSE, nanomag vs reservoirpy.

Both networks use the same hyper-parameters (500 units, 10 % connectivity, spectral radius
0.9, leak 0.3, input scaling 0.5, no bias; input weights dense, uniform for nanomag and
+/-1 for reservoirpy) on the same Mackey-Glass series (nanomag's
generator, tau 17, sampled every 1.0), 2,000 steps to train after a 100-step washout and
1,000 to test.  Each uses its own ridge readout (alpha 1e-6, intercept); NRMSE is RMSE over
the target's standard deviation (nanomag.metrics.nrmse) for both.  Times: best of REPEATS
runs over the full 3,100-step series (first call excluded: JIT compilation).

Run: OMP_NUM_THREADS=1 python bench/bench_esn.py
"""

from __future__ import annotations

import time

import numpy as np

from nanomag.metrics import nrmse
from nanomag.readout import RidgeReadout
from nanomag.substrates import EchoStateNetwork
from nanomag.tasks import make_task

UNITS, WASHOUT, TRAIN, TEST, REPEATS, ALPHA = 500, 100, 2000, 1000, 3, 1e-6
PARAMS = dict(spectral_radius=0.9, leak_rate=0.3, input_scaling=0.5, connectivity=0.1)


def best_time(fn):
    fn()
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    task = make_task("mackey_glass", n_samples=WASHOUT + TRAIN + TEST, horizon=1)
    u, y = task.inputs, task.targets
    split = WASHOUT + TRAIN
    esn = EchoStateNetwork(n_units=UNITS, seed=0, **PARAMS)
    t_ours, states = best_time(lambda: esn.transform(u))
    ro = RidgeReadout(alphas=ALPHA, fit_intercept=True, scale_channels=False, washout=WASHOUT)
    pred = ro.fit(states[:split], y[:split]).predict(states[split:])
    err_ours = nrmse(y[split:], pred)
    print(f"series {u.size} steps, {UNITS} units")
    print(f"nanomag     {t_ours / u.size * 1e6:7.2f} us/step   MG t+1 NRMSE {err_ours:.3e}")
    try:
        import reservoirpy
        from reservoirpy.nodes import Reservoir, Ridge
    except ImportError:
        print("reservoirpy not installed: no comparison")
        return
    res = Reservoir(units=UNITS, sr=PARAMS["spectral_radius"], lr=PARAMS["leak_rate"],
                    input_scaling=PARAMS["input_scaling"], rc_connectivity=PARAMS["connectivity"],
                    input_connectivity=1.0, seed=0)
    X = u[:, None]

    def rpy_run():
        if hasattr(res, "state"):  # initialised by a previous run
            res.reset()
        return res.run(X)

    t_ref, rstates = best_time(rpy_run)
    readout = Ridge(ridge=ALPHA).fit(rstates[WASHOUT:split], y[WASHOUT:split, None])
    err_ref = nrmse(y[split:], readout.run(rstates[split:]).ravel())
    print(f"reservoirpy {t_ref / u.size * 1e6:7.2f} us/step   MG t+1 NRMSE {err_ref:.3e}"
          f"   (reservoirpy {reservoirpy.__version__})")
    print(f"speed ratio (reservoirpy / nanomag) {t_ref / t_ours:.2f}; "
          f"NRMSE ratio {err_ours / err_ref:.3f}")


if __name__ == "__main__":
    main()
