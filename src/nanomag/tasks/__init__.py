"""Benchmark tasks as data generators with exact definitions.

Every generator returns a :class:`Task`: ``inputs`` (T,) drive the substrate, ``targets``
(T,) (or class labels) are what the readout must produce at the same time index ``t``.
``make_task(name, **params)`` builds any registered task; ``available_tasks()`` lists them.

Definitions (t is the sample index):

- ``sine``: input ``x_t = sin(theta_t)``, ``theta_t = 2 pi t / period`` (period 30 samples,
  800 samples, as in Stenning et al. 2024).  Target: a named transformation of the phase
  (see ``SINE_TRANSFORMS``) or a sum ``a+b`` / product ``a*b`` of two of them, then min-max
  scaled to [0, 1] over the generated series (``scale=False`` keeps the raw values).
- ``sine_of_input`` (not a generator: it needs the input a device was driven by): the phase
  ``theta_t = 2 pi t / period + phi`` of a recorded sine input ``x_t = c + A sin(theta_t)``
  is fitted by least squares (:func:`sine_phase`) and the target is a transformation of it,
  as for ``sine``.
- ``nonlinear_map``: ``y_t = 0.4 x_{t-1} + 0.4 x_{t-1} x_{t-2} + 0.6 x_t^3 + 0.1`` with
  ``x`` i.i.d. uniform in [low, high] (default [-1, 1]); two extra leading inputs are drawn so
  every returned target has its history.
- ``mackey_glass``: ``dx/dt = beta x(t - tau) / (1 + x(t - tau)^n) - gamma x(t)`` with
  beta 0.2, gamma 0.1, n 10, tau 17, history x(t <= 0) = 1.2; RK4 with step ``dt`` (0.1)
  and cubic interpolation of the delayed term, sampled every ``sample_time`` (1.0) after
  discarding ``transient_time`` (500).  Target: ``x(t + horizon)`` in samples.
- ``narma10``: ``u(t) ~ U[0, 0.5]``, ``y(t+1) = 0.3 y(t) + 0.05 y(t) sum_{i=0..9} y(t-i)
  + 1.5 u(t-9) u(t) + 0.1`` with ``y = 0`` for the first 10 samples; the first ``transient``
  (200) samples are discarded.  Inputs ``u(t)``, targets ``y(t+1)``.  A diverging series
  raises ``RuntimeError``.
- ``waveform``: ``n_periods`` random periods of a sine or a square wave of ``period``
  samples (8), concatenated; input the waveform value, target the class per sample
  (0 sine, 1 square).  The square wave is ``+1`` on the first half period, ``-1`` after.
- ``henon``: ``x_k = 1 - 1.4 x_{k-1}^2 + 0.3 x_{k-2}``, ``x_0 = x_1 = 0``, with Gaussian
  noise ``w_k ~ N(0, noise^2)`` (noise 0.05) added to the recorded series, or inside the
  recursion with ``noise_in_dynamics=True``; first ``transient`` (100) samples discarded;
  input ``x_k``, target ``x_{k+1}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nanomag._validate import check_memory, flag, instance_of, positive, positive_int, real
from nanomag._validate import seed as checked_seed
from nanomag.tasks import kernels as kern

#: Memory per generated sample (inputs, targets and working copies), bytes.
BYTES_PER_SAMPLE = 64


class TaskDivergedError(RuntimeError, ValueError):
    """A generated series left its attractor: the parameters are outside the task's range."""


def _samples(n_samples, name: str = "n_samples") -> int:
    """A positive sample count within the memory limit."""
    n = positive_int(n_samples, name)
    check_memory(n, BYTES_PER_SAMPLE, name, "samples")
    return n


@dataclass(frozen=True)
class Task:
    """A generated task: ``inputs`` (T,), ``targets`` (T,), ``name``, ``definition`` (text),
    ``params`` (the generator arguments)."""

    name: str
    inputs: np.ndarray
    targets: np.ndarray
    definition: str
    params: dict = field(default_factory=dict)


def _sawtooth(theta: np.ndarray) -> np.ndarray:
    return np.mod(theta, 2 * np.pi) / np.pi - 1.0


SINE_TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "sin2": lambda th: np.sin(th) ** 2,
    "sin3": lambda th: np.sin(th) ** 3,
    "abs_sin_half": lambda th: np.abs(np.sin(th / 2)),
    "abs_sin_third": lambda th: np.abs(np.sin(th / 3)),
    "sin_double": lambda th: np.sin(2 * th),
    "sin_triple": lambda th: np.sin(3 * th),
    "cos_double": lambda th: np.cos(2 * th),
    "cos_triple": lambda th: np.cos(3 * th),
    "square": lambda th: np.where(np.mod(th, 2 * np.pi) < np.pi, 1.0, -1.0),
    "sawtooth": _sawtooth,
    "inverse_sawtooth": lambda th: -_sawtooth(th),
}
"""Transformations of the phase ``theta`` of the sine input (sawtooth rises from -1 to 1
over each period, starting at -1 at phase 0; square is +1 on the first half period)."""


def _sine_target(target: str, theta: np.ndarray) -> np.ndarray:
    for op, combine in (("+", np.add), ("*", np.multiply)):
        if op in target:
            a, b = target.split(op, 1)
            return combine(_sine_target(a, theta), _sine_target(b, theta))
    if target not in SINE_TRANSFORMS:
        raise ValueError(
            f"target must be one of {sorted(SINE_TRANSFORMS)} or a sum/product 'a+b' / 'a*b', "
            f"got {target!r}"
        )
    return SINE_TRANSFORMS[target](theta)


def minmax_scale(values: np.ndarray) -> np.ndarray:
    """Affine map of ``values`` onto [0, 1] (min to 0, max to 1)."""
    lo, hi = values.min(), values.max()
    if hi == lo:
        raise ValueError("cannot min-max scale a constant series")
    return (values - lo) / (hi - lo)


def sine(target: str = "cos", *, n_samples: int = 800, period: float = 30.0,
         scale: bool = True) -> Task:
    """Sine-wave transformation task (see module docstring)."""
    instance_of(target, str, "target")
    scale = flag(scale, "scale")
    n = _samples(n_samples)
    theta = 2 * np.pi * np.arange(n) / positive(period, "period")
    y = _sine_target(target, theta)
    if scale and np.ptp(y) == 0:
        raise ValueError(f"target {target!r} is constant over n_samples={n}, period={period}: "
                         "it cannot be min-max scaled (scale=True)")
    return Task(
        f"sine:{target}", np.sin(theta), minmax_scale(y) if scale else y,
        f"x_t = sin(2 pi t / {period}); y_t = {target}(theta_t)" + (", min-max scaled to [0, 1]" if scale else ""),
        {"target": target, "n_samples": n, "period": period, "scale": scale},
    )


def sine_phase(inputs, period: float, *, rtol: float = 0.01) -> np.ndarray:
    """Phase ``theta_t = 2 pi t / period + phi`` (rad) of a sampled sine input (T,).

    ``c``, ``A > 0`` and ``phi`` of ``x_t = c + A sin(theta_t)`` are fitted by least squares;
    a residual above ``rtol * A`` at any sample raises ``ValueError`` (the input is not a sine
    of that period).
    """
    x = np.asarray(inputs, dtype=np.float64)
    if x.ndim != 1 or x.size < 4:
        raise ValueError(f"inputs must be a 1-D series of at least 4 samples, got {x.shape}")
    base = 2 * np.pi * np.arange(x.size) / positive(period, "period")
    design = np.column_stack([np.sin(base), np.cos(base), np.ones_like(base)])
    coef, *_ = np.linalg.lstsq(design, x, rcond=None)
    s, c = coef[0], coef[1]
    amplitude = np.hypot(s, c)
    residual = np.abs(design @ coef - x).max()
    if amplitude == 0 or residual > positive(rtol, "rtol") * amplitude:
        raise ValueError(f"inputs are not a sine of period {period} samples: the best fit "
                         f"leaves a residual of {residual:.3g} for an amplitude of {amplitude:.3g}")
    return base + np.arctan2(c, s)


def sine_of_input(inputs, target: str = "square", *, period: float,
                  scale: bool = True) -> Task:
    """Transformation task on a recorded sine input: ``y_t = target(theta_t)`` with the phase
    ``theta_t`` of the input (:func:`sine_phase`), min-max scaled to [0, 1] unless ``scale``
    is False.  ``inputs`` are returned unchanged as the task's inputs."""
    x = np.asarray(inputs, dtype=np.float64)
    theta = sine_phase(x, period)
    y = _sine_target(target, theta)
    return Task(
        f"sine_of_input:{target}", x, minmax_scale(y) if scale else y,
        f"y_t = {target}(theta_t), theta_t the phase of the input x_t = c + A sin(2 pi t / "
        f"{period} + phi)" + (", min-max scaled to [0, 1]" if scale else ""),
        {"target": target, "period": period, "scale": scale},
    )


def nonlinear_map(*, n_samples: int = 1000, low: float = -1.0, high: float = 1.0,
                  seed: int | None = None) -> Task:
    """``y_t = 0.4 x_{t-1} + 0.4 x_{t-1} x_{t-2} + 0.6 x_t^3 + 0.1`` with uniform inputs."""
    n = _samples(n_samples)
    low, high = real(low, "low"), real(high, "high")
    if not high > low:
        raise ValueError(f"high ({high}) must exceed low ({low})")
    x = np.random.default_rng(checked_seed(seed)).uniform(low, high, n + 2)
    y = 0.4 * x[1:-1] + 0.4 * x[1:-1] * x[:-2] + 0.6 * x[2:] ** 3 + 0.1
    return Task("nonlinear_map", x[2:], y,
                "y_t = 0.4 x_{t-1} + 0.4 x_{t-1} x_{t-2} + 0.6 x_t^3 + 0.1",
                {"n_samples": n, "low": low, "high": high, "seed": seed})


def mackey_glass_series(n_samples: int, *, tau: float = 17.0, beta: float = 0.2,
                        gamma: float = 0.1, power: float = 10.0, x0: float = 1.2,
                        dt: float = 0.1, sample_time: float = 1.0,
                        transient_time: float = 500.0) -> np.ndarray:
    """Mackey-Glass series (n_samples,) sampled every ``sample_time`` (time units of the
    equation), after ``transient_time``; ``tau``, ``sample_time`` and ``transient_time`` must be
    multiples of ``dt``.  ``x0`` must be > 0 and ``beta``, ``gamma`` >= 0: the delayed term
    ``x^power`` of a negative history is undefined for non-integer ``power``."""
    n = _samples(n_samples)
    dt = positive(dt, "dt")
    steps = {}
    for name, value in (("tau", tau), ("sample_time", sample_time),
                        ("transient_time", transient_time)):
        ratio = positive(value, name, allow_zero=name == "transient_time") / dt
        if not np.isfinite(ratio):
            raise ValueError(f"{name} ({value}) is too large for dt ({dt})")
        if abs(ratio - round(ratio)) > 1e-9:
            raise ValueError(f"{name} ({value}) must be a multiple of dt ({dt})")
        steps[name] = int(round(ratio))
    if steps["tau"] < 2:
        raise ValueError(f"tau ({tau}) must be at least 2 dt")
    if steps["sample_time"] < 1:
        raise ValueError(f"sample_time ({sample_time}) must be at least dt ({dt})")
    stride = steps["sample_time"]
    total = steps["transient_time"] + (n - 1) * stride
    check_memory(total + steps["tau"], 8, "n_samples, sample_time, transient_time, tau and dt",
                 "integration steps")
    x0 = positive(x0, "x0")
    beta, gamma = positive(beta, "beta", allow_zero=True), positive(gamma, "gamma", allow_zero=True)
    x = kern.mackey_glass(total, steps["tau"], dt, x0, beta, gamma, real(power, "power"))
    if not np.all(np.isfinite(x)):
        raise TaskDivergedError(
            f"Mackey-Glass series diverged for beta={beta}, gamma={gamma}, power={power}, "
            f"dt={dt}: lower dt or beta"
        )
    return x[steps["transient_time"]::stride][:n].copy()


def mackey_glass(*, n_samples: int = 2000, horizon: int = 1, **series_params) -> Task:
    """Mackey-Glass forecasting: input x(t), target x(t + horizon samples)."""
    n = _samples(n_samples)
    h = positive_int(horizon, "horizon")
    x = mackey_glass_series(n + h, **series_params)
    return Task(f"mackey_glass:t+{h}", x[:n], x[h:],
                "dx/dt = beta x(t-tau)/(1 + x(t-tau)^n) - gamma x(t); target x(t + horizon)",
                {"n_samples": n, "horizon": h, **series_params})


def narma10(*, n_samples: int = 2000, transient: int = 200, seed: int | None = None) -> Task:
    """NARMA-10 (Atiya-Parlos) with u ~ U[0, 0.5]: inputs u(t), targets y(t+1)."""
    n = _samples(n_samples)
    tr = positive_int(transient, "transient", allow_zero=True)
    check_memory(n + tr, BYTES_PER_SAMPLE, "n_samples + transient", "samples")
    u = np.random.default_rng(checked_seed(seed)).uniform(0.0, 0.5, n + tr)
    y = kern.narma10(u)
    if not np.all(np.isfinite(y)) or np.max(np.abs(y)) > 1e3:
        raise TaskDivergedError(f"NARMA-10 series diverged (seed={seed}); try another seed")
    return Task("narma10", u[tr:], y[tr + 1:],
                "y(t+1) = 0.3 y(t) + 0.05 y(t) sum_{i=0..9} y(t-i) + 1.5 u(t-9) u(t) + 0.1",
                {"n_samples": n, "transient": tr, "seed": seed})


def waveform(*, n_periods: int = 100, period: int = 8, seed: int | None = None) -> Task:
    """Sine / square waveform classification; targets are int labels (0 sine, 1 square)."""
    n_p = positive_int(n_periods, "n_periods")
    per = positive_int(period, "period")
    if per < 2:
        raise ValueError(f"period must be >= 2, got {period}")
    check_memory(n_p * per, BYTES_PER_SAMPLE, "n_periods * period", "samples")
    labels = np.random.default_rng(checked_seed(seed)).integers(0, 2, n_p)
    theta = 2 * np.pi * np.arange(per) / per
    shapes = np.stack([np.sin(theta), SINE_TRANSFORMS["square"](theta)])
    return Task("waveform", shapes[labels].ravel(), np.repeat(labels, per),
                "periods of sin(2 pi j / period) (label 0) or a square wave (label 1)",
                {"n_periods": n_p, "period": per, "seed": seed})


def henon(*, n_samples: int = 2000, noise: float = 0.05, noise_in_dynamics: bool = False,
          transient: int = 100, seed: int | None = None) -> Task:
    """Noisy Henon map one-step forecast: input x_k, target x_{k+1}.

    With ``noise_in_dynamics`` the recursion itself carries ``w_k``; the orbit then leaves the
    attractor for noise above about 0.005 (measured: 19 of 20 seeds escape within 2,100 steps
    at 0.01), which raises ``RuntimeError``.  By default ``w_k`` is added to the recorded
    series instead (observation noise on the noise-free orbit).
    """
    n = _samples(n_samples)
    tr = positive_int(transient, "transient", allow_zero=True)
    check_memory(n + tr, BYTES_PER_SAMPLE, "n_samples + transient", "samples")
    sigma = positive(noise, "noise", allow_zero=True)
    noise_in_dynamics = flag(noise_in_dynamics, "noise_in_dynamics")
    w = np.random.default_rng(checked_seed(seed)).normal(0.0, 1.0, n + tr + 1) * sigma
    x = kern.henon(n + tr + 1, w if noise_in_dynamics else np.zeros_like(w))
    if not np.all(np.isfinite(x)) or np.max(np.abs(x)) > 10:
        raise TaskDivergedError(f"Henon series escaped the attractor (noise={noise}, "
                                f"seed={seed}); lower noise or try another seed")
    if not noise_in_dynamics:
        x = x + w
    return Task("henon", x[tr:-1], x[tr + 1:],
                "x_k = 1 - 1.4 x_{k-1}^2 + 0.3 x_{k-2} (+ w_k in the recursion or on the record), "
                "w ~ N(0, noise^2); target x_{k+1}",
                {"n_samples": n, "noise": sigma, "noise_in_dynamics": noise_in_dynamics,
                 "transient": tr, "seed": seed})


_TASKS: dict[str, Callable[..., Task]] = {
    "sine": sine,
    "nonlinear_map": nonlinear_map,
    "mackey_glass": mackey_glass,
    "narma10": narma10,
    "waveform": waveform,
    "henon": henon,
}


def available_tasks() -> list[str]:
    """Names accepted by :func:`make_task`."""
    return sorted(_TASKS)


def make_task(name: str, **params) -> Task:
    """Generate the task ``name`` with generator keyword ``params``."""
    if not isinstance(name, str) or name not in _TASKS:
        raise ValueError(f"name must be one of {available_tasks()}, got {name!r}")
    return _TASKS[name](**params)
