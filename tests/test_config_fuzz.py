"""Fuzzing the configuration loader: mutated and random TOML / JSON documents give a valid
configuration or one ``ConfigError`` line naming the file and a key, never another exception."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanomag.config import ConfigError, ExperimentConfig, LoopRunConfig, SweepConfig, load_config

FUZZ = settings(derandomize=True, max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

SPIN_ICE = {"type": "spin_ice", "lattice": {"name": "square", "params": {"size": [3, 3]}},
            "engine": {"disorder": 0.05, "temperature": 300.0, "vortex": {"p_plus": 0.1}},
            "encoder": {"type": "rotating", "h_min": 0.01, "h_max": 0.02},
            "observation": {"kind": "spectrum", "n_channels": 32}, "snapshots": [0, 5]}
VALID = {
    "loop": ({"lattice": {"name": "kagome", "params": {"size": [2, 2]}},
              "engine": {"hc": 0.02, "seed": 1, "astroid": {"b": 0.4}},
              "protocol": {"h_max": 0.04, "n_steps": 10}, "record_states": True},
             LoopRunConfig),
    "spin_ice": ({"seed": 1, "substrate": SPIN_ICE,
                  "tasks": [{"name": "sine", "target": "cos", "n_samples": 200},
                            {"name": "sine", "target": "square", "n_samples": 200}],
                  "readout": {"alphas": [0.001, 0.1]}, "split": {"washout": 20}},
                 ExperimentConfig),
    "preset": ({"substrate": {"type": "preset", "array": "MS", "size": [4, 4],
                              "observation": {"kind": "regions", "n_regions": 2}},
                "tasks": [{"name": "mackey_glass", "n_samples": 300, "horizons": [1, 2]}]},
               ExperimentConfig),
    "esn": ({"substrate": {"type": "esn", "n_units": 40, "leak_rate": 0.5},
             "tasks": [{"name": "narma10", "n_samples": 300, "seed": 2}]}, ExperimentConfig),
    "memristor": ({"substrate": {"type": "memristor", "input_range": [0.0, 1.0]},
                   "tasks": [{"name": "henon", "n_samples": 300}]}, ExperimentConfig),
    "sto": ({"substrate": {"type": "sto", "n_virtual": 20},
             "tasks": [{"name": "waveform", "n_periods": 30}]}, ExperimentConfig),
    "sweep": ({"substrate": {"type": "esn"}, "tasks": [{"name": "mackey_glass"}],
               "grid": {"substrate.spectral_radius": [0.5, 0.9], "tasks.0.horizon": [1, 2]}},
              SweepConfig),
}

JUNK = st.one_of(
    st.integers(min_value=-2**63, max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e30, -1.0, 0, 10_000_000_000, 2**63 - 1, "1", "yes", "0.5", "", "inf"]),
    st.text(max_size=6),
    st.booleans(),
    st.lists(st.one_of(st.integers(-5, 5), st.floats(-2, 2), st.text(max_size=2)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(-3, 3), max_size=2),
)


def paths(node, prefix=()):
    """Every key path of a nested document (list entries by index)."""
    items = node.items() if isinstance(node, dict) else (
        enumerate(node) if isinstance(node, list) else ())
    for key, value in items:
        yield (*prefix, key)
        yield from paths(value, (*prefix, key))


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}"
                           for k, v in value.items()) + "}"


def to_toml(doc: dict) -> str:
    return "\n".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in doc.items()) + "\n"


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(VALID)))
    doc, model = json.loads(json.dumps(VALID[name][0])), VALID[name][1]
    path = draw(st.sampled_from(list(paths(doc))))
    *parents, leaf = path
    node = doc
    for part in parents:
        node = node[part]
    action = draw(st.sampled_from(["replace", "replace", "add", "delete"]))
    if action == "replace":
        node[leaf] = draw(JUNK)
    elif action == "add" and isinstance(node[leaf], dict):
        node[leaf][draw(st.text(min_size=1, max_size=5))] = draw(JUNK)
    elif isinstance(node, dict):
        del node[leaf]
    else:
        node.pop(leaf)
    return doc, model, ".".join(str(p) for p in path)


def check(path, model, doc, mutated_key):
    try:
        config = load_config(path, model)
    except ConfigError as exc:
        message = str(exc)
        assert "\n" not in message
        assert message.startswith(f"{path}: ")
        body = message.removeprefix(f"{path}: ")
        keys = {".".join(str(p) for p in key) for key in paths(doc)} | {mutated_key}
        keys |= {k.split(".")[0] for k in keys}
        assert "cannot parse" in body or any(key and key in body for key in keys), message
    else:
        assert isinstance(config, model)


@FUZZ
@given(case=mutated(), fmt=st.sampled_from(["toml", "json"]))
def test_mutated_documents_validate_or_name_the_key(tmp_path_factory, case, fmt):
    doc, model, key = case
    path = tmp_path_factory.mktemp("fuzz") / f"config.{fmt}"
    path.write_text(to_toml(doc) if fmt == "toml" else json.dumps(doc))
    check(path, model, doc, key)


@FUZZ
@given(text=st.text(max_size=80), model=st.sampled_from([None, SweepConfig]))
def test_random_text_is_a_config_or_one_config_error(tmp_path_factory, text, model):
    path = tmp_path_factory.mktemp("fuzz") / "config.toml"
    path.write_text(text)
    try:
        load_config(path, model)
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")


@pytest.mark.parametrize("name", sorted(VALID))
def test_the_unmutated_documents_are_valid(name, tmp_path):
    doc, model = VALID[name]
    path = tmp_path / "config.toml"
    path.write_text(to_toml(doc))
    assert isinstance(load_config(path, model), model)
