"""Fuzzing the public API: every input either works with finite results or raises ValueError /
TypeError whose message names the parameter.

One parameter is fuzzed at a time (the others keep their defaults), so the error must name that
parameter.  Values cover 0, negatives, +-inf, NaN, huge and tiny magnitudes, integral and
non-integral floats, huge integers, bools, strings, None, containers and arrays of wrong shapes.
The run is reproducible (``derandomize=True``) and bounded (200 examples a test); the memory
limit is lowered to 256 MB so that huge requests are refused cheaply and no valid example
allocates much.
"""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest
import xarray as xr
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nanomag import Astroid, FMRReadout, Material, SpinIce, VortexModel, make_lattice, make_task
from nanomag.encoders import (
    FieldLoopEncoder,
    RegionalFieldEncoder,
    RotatingFieldEncoder,
    WaveformEncoder,
)
from nanomag.energy import EnergyModel, esn_step_energy, spin_ice_step_energy
from nanomag.engine.protocols import field_vectors, hysteresis_loop
from nanomag.experiments.evaluation import Split, evaluate_task, forecast
from nanomag.fmr import CollectiveFMR
from nanomag.fmr.modes import ModeTable
from nanomag.information_capacity import information_processing_capacity
from nanomag.lattices import available_lattices
from nanomag.lattices import generators as lattice_generators
from nanomag.metrics import (
    generalisation_rank,
    kernel_rank,
    memory_capacity,
    nmse,
    nonlinearity,
    numerical_rank,
)
from nanomag.readout import RidgeClassifierReadout, RidgeReadout
from nanomag.substrates import (
    EchoStateNetwork,
    MemristorReservoir,
    SpinIceReservoir,
    SpinTorqueOscillator,
)
from nanomag.tasks import available_tasks, mackey_glass_series

FUZZ = settings(derandomize=True, max_examples=200, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

SPECIAL = [0, 0.0, -0.0, 1, -1, 2, 3, 0.5, -0.5, 1.5, 7.25, 1e-12, -1e-12, 5e-324, -5e-324,
           1e-300, 1e12, -1e12, 1e30, 1e217, 1e300, -1e300, 1.7976931348623157e308,
           -1.7976931348623157e308, float("nan"), float("inf"), float("-inf"), 2**63, -(2**63),
           10**30, np.float64(0.25), np.int64(4)]
WRONG = [None, "x", "1", "", True, False, [1.0, 2.0], (1,), {}, {"a": 1}, object(),
         np.array([1.0, 2.0]), complex(1, 1)]
numbers = st.one_of(st.sampled_from(SPECIAL), st.floats(-100, 100), st.integers(-3, 30))
values = st.one_of(numbers, st.sampled_from(WRONG))
finite_elements = st.floats(-10, 10, allow_nan=False)
extreme_elements = st.one_of(finite_elements, st.sampled_from(
    [0.0, 1e300, -1e300, 1e-300, 5e-324, 1.7976931348623157e308, float("nan"), float("inf")]))


def arrays(shapes, elements=extreme_elements):
    """Float arrays of the given shapes (a list of tuples), or scaled by a huge/tiny factor."""
    base = hnp.arrays(np.float64, st.sampled_from(shapes), elements=elements)
    return st.one_of(base, st.tuples(base, st.sampled_from([1e-200, 1e200, -1.0])).map(_scaled))


def _scaled(pair):
    with np.errstate(over="ignore", under="ignore"):
        return pair[0] * pair[1]


def array_or_value(shapes):
    return st.one_of(arrays(shapes), values)


@pytest.fixture(autouse=True)
def _small_memory_limit(monkeypatch):
    monkeypatch.setenv("NANOMAG_MEMORY_LIMIT", str(256 * 2**20))


def _finite(result) -> bool:
    """Whether every number in ``result`` (arrays, datasets, dataclasses, mappings) is finite."""
    if result is None or isinstance(result, (str, bool, int)):
        return True
    if isinstance(result, (xr.Dataset, xr.DataArray)):
        arrays_ = result.data_vars.values() if isinstance(result, xr.Dataset) else [result]
        return all(_finite(a.values) for a in arrays_)
    if dataclasses.is_dataclass(result):
        return all(_finite(getattr(result, f.name)) for f in dataclasses.fields(result))
    if isinstance(result, dict):
        return all(_finite(v) for v in result.values())
    if isinstance(result, (tuple, list)):
        return all(_finite(v) for v in result)
    arr = np.asarray(result)
    if arr.dtype.kind in "iubUSMm":
        return True
    if arr.dtype.kind == "O":
        return all(_finite(v) for v in arr.ravel())
    return bool(np.all(np.isfinite(arr)))


def check(call, *names):
    """Run ``call``: it must return finite results or raise ValueError / TypeError naming one
    of ``names``; anything else (another exception, NaN or inf in the result) fails."""
    try:
        result = call()
    except (ValueError, TypeError) as err:
        message = str(err)
        assert any(name in message for name in names), (
            f"{type(err).__name__} names none of {names}: {message}")
        _record(f"refused: {type(err).__name__}")
        return None
    assert _finite(result), f"non-finite result for {names}: {result!r:.300}"
    _record("finite result")
    return result


def _record(outcome: str) -> None:
    """Count the outcome in hypothesis' statistics (``--hypothesis-show-statistics``)."""
    if currently_in_test_context():
        event(outcome)


def kwargs_of(fn, skip=()):
    """Keyword parameter names of ``fn`` (minus ``skip``)."""
    return [n for n, p in inspect.signature(fn).parameters.items()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and n not in skip
            and n != "self"]


TINY = make_lattice("square", size=(2, 2))
LOOP = hysteresis_loop(0.08, 6)
FREQS = np.linspace(3e9, 13e9, 6)
SIZES = st.one_of(
    st.tuples(st.integers(-2, 4), st.integers(-2, 4)),
    st.tuples(st.sampled_from([10**7, 10**12, 2**63, 3.0, 2.5, float("inf"), float("nan"), "2",
                               None, True]), st.integers(1, 3)),
    st.sampled_from([None, "x", 3, (1,), (1, 2, 3), [[1, 2]], (2, 2)]))


# ---------------------------------------------------------------- geometry and engine
LATTICE_PARAMS = [(name, p) for name in available_lattices() if name != "custom"
                  for p in kwargs_of(getattr(lattice_generators, name))]


@FUZZ
@given(which=st.sampled_from(LATTICE_PARAMS), value=values, size=SIZES)
def test_make_lattice(which, value, size):
    name, param = which
    if param == "size":
        check(lambda: make_lattice(name, size=size), "size")
    else:
        check(lambda: make_lattice(name, size=(2, 2), **{param: value}), param)


@FUZZ
@given(gap=st.sampled_from([1e-300, 0.0, 1e-9, 10.0, 149.0, 151.0, 800.0, 1e300]),
       widths=st.sampled_from([150.0, 1e-300, 1e300]))
def test_custom_array_in_the_engine(gap, widths):
    def build():
        array = make_lattice("custom", positions=[[0.0, 0.0], [0.0, gap]], angles=[0.0, 0.0],
                             widths=widths)
        return SpinIce(array, hc=0.02).run(LOOP)
    check(build, "positions", "widths", "lattice_spacing")


SPIN_ICE_PARAMS = kwargs_of(SpinIce.__init__, skip=("array",))


@FUZZ
@given(param=st.sampled_from(SPIN_ICE_PARAMS),
       value=st.one_of(values, st.sampled_from(["random", "face_charge", "micromagnetic_0K",
                                                Material(), VortexModel(), Astroid(),
                                                {"b": 0.5}, {"q": 1.0}, np.ones(12),
                                                -np.ones(12)])))
def test_spin_ice_constructor_and_run(param, value):
    check(lambda: SpinIce(TINY, **{"hc": 0.02, param: value}).run(LOOP), param)


@FUZZ
@given(fields=array_or_value([(0, 2), (3, 2), (2, 12, 2), (3,), (3, 3), (2, 2, 2)]),
       record=st.sampled_from([False, True, np.array([0, 1]), np.array([1, 0]), "x", 1.5]))
def test_spin_ice_run_fields(fields, record):
    check(lambda: SpinIce(TINY, hc=0.02).run(fields, record_states=record), "fields",
          "record_states")


@FUZZ
@given(param=st.sampled_from(["h_max", "n_steps", "angle_deg"]), value=values)
def test_hysteresis_loop(param, value):
    kwargs = {"h_max": 0.05, "n_steps": 8, param: value}
    check(lambda: hysteresis_loop(**kwargs), param)


@FUZZ
@given(magnitudes=array_or_value([(0,), (4,), (2, 2)]), angle=values)
def test_field_vectors(magnitudes, angle):
    check(lambda: field_vectors(magnitudes, 30.0), "magnitudes")
    check(lambda: field_vectors([0.1, -0.1], angle), "angle_deg")


@FUZZ
@given(cls=st.sampled_from([Material, VortexModel, Astroid, EnergyModel, ModeTable]),
       data=st.data())
def test_parameter_records(cls, data):
    param = data.draw(st.sampled_from([f.name for f in dataclasses.fields(cls)]))
    value = data.draw(st.one_of(values, arrays([(0,), (3,), (2, 2)])))
    check(lambda: cls(**{param: value}), param)


# ---------------------------------------------------------------- encoders and observation
ENCODERS = [FieldLoopEncoder, RotatingFieldEncoder, WaveformEncoder, RegionalFieldEncoder]


@FUZZ
@given(cls=st.sampled_from(ENCODERS), data=st.data())
def test_encoders(cls, data):
    param = data.draw(st.sampled_from(kwargs_of(cls.__init__)))
    value = data.draw(st.one_of(values, st.sampled_from(["sine", "pulse", (1.0, 0.0),
                                                         (0.0, 1e308), (-1e308, 1e308)])))
    d = 2 if cls is RegionalFieldEncoder else 1
    inputs = np.linspace(0, 1, 3 * d).reshape(3, d)
    check(lambda: cls(**{param: value}).encode(inputs, TINY), param)


@FUZZ
@given(cls=st.sampled_from(ENCODERS), inputs=array_or_value([(0,), (4,), (4, 1), (4, 2),
                                                             (2, 2, 2)]))
def test_encoder_inputs(cls, inputs):
    check(lambda: cls().encode(inputs, TINY), "inputs")


FMR_PARAMS = kwargs_of(FMRReadout.__init__)


@FUZZ
@given(param=st.sampled_from(FMR_PARAMS),
       value=st.one_of(values, arrays([(0,), (3,), (2, 2)]),
                       st.sampled_from(["direct", "binned", Material(), ModeTable()])))
def test_fmr_readout(param, value):
    kwargs = {"frequencies": FREQS, param: value}
    check(lambda: FMRReadout(**kwargs).prepare(TINY).spectrum(np.ones(12), bias_fields=-0.02),
          param)


@FUZZ
@given(bias=array_or_value([(0,), (3,), (2, 2)]), derivative=st.booleans())
def test_fmr_bias_fields(bias, derivative):
    readout = FMRReadout(FREQS).prepare(TINY)
    check(lambda: readout.spectrum(np.ones(12), bias_fields=bias, derivative=derivative),
          "bias_fields")


# ---------------------------------------------------------------- substrates
SUBSTRATES = {
    EchoStateNetwork: {"n_units": 8, "connectivity": 0.5},
    MemristorReservoir: {"n_reservoirs": 3},
    SpinTorqueOscillator: {"n_virtual": 4},
    SpinIceReservoir: {"lattice": "square", "lattice_params": {"size": (2, 2)},
                       "observation": "magnetization"},
}
SUBSTRATE_PARAMS = [(cls, p) for cls in SUBSTRATES for p in kwargs_of(cls.__init__)]


@FUZZ
@given(which=st.sampled_from(SUBSTRATE_PARAMS),
       value=st.one_of(values, st.sampled_from([(1.0, -1.0), (0.0, 1e300), {"size": (1, 1)},
                                                {"disorder": 0.1}, {"seed": 1}, "spectrum",
                                                "regions", FieldLoopEncoder(), np.ones(3)])))
def test_substrate_constructor_and_transform(which, value):
    cls, param = which
    kwargs = {**SUBSTRATES[cls], param: value}
    check(lambda: cls(**kwargs).fit().transform(np.linspace(-1, 1, 5)), param)


@FUZZ
@given(cls=st.sampled_from(list(SUBSTRATES)),
       inputs=array_or_value([(0,), (5,), (5, 1), (5, 2), (2, 2, 2)]))
def test_substrate_inputs(cls, inputs):
    check(lambda: cls(**SUBSTRATES[cls]).fit().transform(inputs), "inputs")


# ---------------------------------------------------------------- readout
ROWS = 60
X_GOOD = np.column_stack([np.sin(np.arange(ROWS) / 3.0), np.cos(np.arange(ROWS) / 5.0),
                          np.linspace(0, 1, ROWS)])
Y_GOOD = X_GOOD @ np.array([1.0, -2.0, 0.5])


@FUZZ
@given(param=st.sampled_from(kwargs_of(RidgeReadout.__init__)),
       value=st.one_of(values, arrays([(0,), (3,), (2, 2)], elements=finite_elements)))
def test_ridge_parameters(param, value):
    readout = RidgeReadout(**{param: value})
    check(lambda: readout.fit(X_GOOD, Y_GOOD).predict(X_GOOD), param)


@FUZZ
@given(X=array_or_value([(ROWS, 3), (ROWS, 0), (ROWS,), (5, 3), (ROWS, 2, 2)]),
       y=array_or_value([(ROWS,), (ROWS, 0), (ROWS, 2), (5,)]),
       alphas=st.sampled_from([0.0, 1e-300, 1e-3, (0.0, 1.0), (1e-3, 1e-1)]),
       scale=st.booleans())
def test_ridge_data(X, y, alphas, scale):
    readout = RidgeReadout(alphas=alphas, scale_channels=scale, n_splits=3)
    check(lambda: readout.fit(X, y).predict(X_GOOD), "X", "y", "alphas", "coef_")


@FUZZ
@given(X=array_or_value([(ROWS, 3), (ROWS,)]),
       y=st.sampled_from([np.arange(ROWS) % 2, np.zeros(ROWS), np.arange(ROWS) % 3, None, "x"]))
def test_ridge_classifier(X, y):
    check(lambda: RidgeClassifierReadout(n_splits=3).fit(X, y).predict(X_GOOD), "X", "y")


# ---------------------------------------------------------------- tasks
TASK_PARAMS = [(name, p) for name in available_tasks()
               for p in kwargs_of(__import__("nanomag.tasks", fromlist=[name]).__dict__[name])]
TASK_PARAMS += [("mackey_glass", p) for p in kwargs_of(mackey_glass_series, skip=("n_samples",))]


@FUZZ
@given(which=st.sampled_from(TASK_PARAMS),
       value=st.one_of(values, st.sampled_from(["sin", "cos+sin2", "bogus", "sin*"])))
def test_make_task(which, value):
    name, param = which
    small = {} if param in ("n_samples", "n_periods") else (
        {"n_periods": 10} if name == "waveform" else {"n_samples": 50})
    check(lambda: make_task(name, **{**small, param: value}), param)


def test_make_task_name():
    for name in ("bogus", None, 3, ["sine"]):
        check(lambda name=name: make_task(name), "name")


# ---------------------------------------------------------------- metrics
U = np.random.default_rng(0).uniform(-1, 1, 80)
STATES = np.tanh(np.column_stack([np.roll(U, k) for k in range(4)]))


@FUZZ
@given(param=st.sampled_from(["max_delay", "min_delay", "washout", "train_fraction", "alpha",
                              "fit_intercept"]), value=values)
def test_memory_capacity_parameters(param, value):
    kwargs = {"max_delay": 5, param: value}
    check(lambda: memory_capacity(STATES, U, **kwargs), param)


@FUZZ
@given(states=array_or_value([(80, 4), (80,), (10, 4), (80, 0)]),
       inputs=array_or_value([(80,), (80, 1), (79,)]))
def test_metric_arrays(states, inputs):
    check(lambda: memory_capacity(states, U, 3), "states")
    check(lambda: memory_capacity(STATES, inputs, 3), "inputs")
    check(lambda: nonlinearity(states, U, n_lags=3), "states")
    check(lambda: nonlinearity(STATES, inputs, n_lags=3), "inputs")
    check(lambda: numerical_rank(states), "matrix")
    check(lambda: information_processing_capacity(states, np.clip(U, -1, 1), max_degree=2,
                                                  max_delay=2), "states")


@FUZZ
@given(y_true=array_or_value([(20,), (20, 2), (19,), (1,)]),
       y_pred=array_or_value([(20,), (20, 2)]))
def test_nmse(y_true, y_pred):
    check(lambda: nmse(y_true, y_pred), "y_true", "y_pred", "nmse")


@FUZZ
@given(param=st.sampled_from(["n_lags", "n_channels", "washout"]), value=values)
def test_nonlinearity_parameters(param, value):
    check(lambda: nonlinearity(STATES, U, **{param: value}), param)


@FUZZ
@given(param=st.sampled_from(["n_streams", "length", "seed", "rtol"]), value=values)
def test_kernel_rank_parameters(param, value):
    esn = EchoStateNetwork(n_units=6, seed=0).fit()
    kwargs = {"n_streams": 4, "length": 5, param: value}
    check(lambda: kernel_rank(esn.transform, **kwargs), param, "n_streams * length")


@FUZZ
@given(param=st.sampled_from(["max_degree", "max_delay", "washout", "p_value", "rtol"]),
       value=values)
def test_information_capacity_parameters(param, value):
    kwargs = {"max_degree": 2, "max_delay": 2, param: value}
    check(lambda: information_processing_capacity(STATES, U, **kwargs), param,
          "max_degree and max_delay")


# ---------------------------------------------------------------- energy
STEP = {"volumes_m3": 1.8e-21, "field_amplitudes_T": [0.02, -0.02], "n_bars": 100,
        "n_channels": 10, "flip_count": 3, "mean_switching_field_T": 0.03}


@FUZZ
@given(param=st.sampled_from(list(STEP) + ["n_features_readout", "n_outputs", "Ms", "model"]),
       value=st.one_of(values, arrays([(0,), (3,), (2, 2), (2, 3)])))
def test_spin_ice_step_energy(param, value):
    check(lambda: spin_ice_step_energy(**{**STEP, param: value}), param, "energy term")


@FUZZ
@given(param=st.sampled_from(["n_units", "nnz_recurrent", "n_inputs", "n_outputs", "e_mac",
                              "e_mem"]), value=values)
def test_esn_step_energy(param, value):
    kwargs = {"n_units": 10, "nnz_recurrent": 20, "n_inputs": 1, "n_outputs": 1, param: value}
    check(lambda: esn_step_energy(**kwargs), param)


@FUZZ
@given(fields=array_or_value([(0,), (3,), (3, 2), (3, 3)]), n_bars=values)
def test_pulse_energy(fields, n_bars):
    model = EnergyModel()
    check(lambda: model.pulse_energy(fields), "field_amplitudes_T")
    check(lambda: model.pulse_energy([0.02], n_bars), "n_bars")


# ---------------------------------------------------------------- experiments
ESN = EchoStateNetwork(n_units=8, connectivity=0.5, seed=0)
SINE = make_task("sine", n_samples=120)


@FUZZ
@given(param=st.sampled_from(["substrate", "task", "split", "readout", "washout",
                              "train_fraction"]),
       value=st.one_of(values, st.sampled_from([ESN, SINE, Split(), RidgeReadout()])))
def test_evaluate_task(param, value):
    kwargs = {"substrate": ESN, "task": SINE, "split": Split(washout=10)}
    if param in ("washout", "train_fraction"):
        kwargs["split"] = Split(**{param: value})
    else:
        kwargs[param] = value
    check(lambda: evaluate_task(**kwargs), param)


@FUZZ
@given(series=array_or_value([(0,), (120,), (120, 1), (5,)]),
       horizons=st.one_of(values, st.sampled_from([(1, 2), (1, 10**6), (0, 1), ("a",)])))
def test_forecast(series, horizons):
    split = Split(washout=10)
    check(lambda: forecast(ESN, series, (1, 2), split=split), "series")
    check(lambda: forecast(ESN, SINE.inputs, horizons, split=split), "horizons")


# ---------------------------------------------------------------- further entry points
@FUZZ
@given(param=st.sampled_from(["alpha", "sw_b", "sw_c", "sw_beta", "sw_gamma", "lattice_spacing",
                              "neighbor_distance", "init", "threshold", "positions", "angles"]),
       value=st.one_of(values, arrays([(0,), (4,), (4, 2), (3, 2)])))
def test_spin_ice_from_flatspin_parameters(param, value):
    kwargs = {"positions": TINY.reduced_positions[:4], "angles": TINY.angles[:4],
              "threshold": np.full(4, 0.1), "alpha": 0.001, param: value}
    check(lambda: SpinIce.from_flatspin_parameters(**kwargs).run(LOOP), param)


@FUZZ
@given(param=st.sampled_from(["solver", "n_moments", "coupling_scale"]),
       value=st.one_of(values, st.sampled_from(["dense", "kpm"])))
def test_collective_fmr(param, value):
    check(lambda: CollectiveFMR(FREQS, **{param: value}).prepare(TINY).spectrum(np.ones(12)),
          param)


@FUZZ
@given(spins=st.one_of(st.sampled_from([np.ones((2, 12)), -np.ones((2, 12)), np.zeros((2, 12)),
                                        np.ones((2, 11)), np.ones(12), "x", None])),
       bias=array_or_value([(2,), (3,), ()]))
def test_fmr_spectra_series(spins, bias):
    readout = FMRReadout(FREQS).prepare(TINY)
    check(lambda: readout.spectra(spins, bias_fields=-0.02), "spins")
    check(lambda: readout.spectra(np.ones((2, 12)), bias_fields=bias), "bias_fields")


@FUZZ
@given(cls=st.sampled_from(list(SUBSTRATES)), state=st.one_of(values, arrays(
    [(0,), (1,), (3,), (8,), (26,), (2, 2)])))
def test_substrate_explicit_state(cls, state):
    substrate = cls(**SUBSTRATES[cls]).fit()
    check(lambda: substrate.run(np.linspace(-1, 1, 4), state), "state")


@FUZZ
@given(param=st.sampled_from(["n_streams", "length", "shared_length", "noise", "seed"]),
       value=values)
def test_generalisation_rank_parameters(param, value):
    esn = EchoStateNetwork(n_units=6, connectivity=0.5, seed=0).fit()
    kwargs = {"n_streams": 4, "length": 6, "shared_length": 3, param: value}
    check(lambda: generalisation_rank(esn.transform, **kwargs), param, "n_streams * length")
