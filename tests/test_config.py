"""Run configurations: validation names the field, files load, build() reaches the API."""

import json

import numpy as np
import pytest
from pydantic import ValidationError

from nanomag.config import (
    ConfigError,
    EngineConfig,
    LatticeConfig,
    LoopRunConfig,
    ProtocolConfig,
    SweepConfig,
    load_config,
    validation_message,
)
from nanomag.protocols import hysteresis_loop

SMALL = {"lattice": {"params": {"size": [2, 2]}}, "protocol": {"h_max": 0.04, "n_steps": 8}}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"engine": {"disorder": -0.1}}, "engine.disorder"),
        ({"engine": {"hc": 0.0}}, "engine.hc"),
        ({"engine": {"hc": float("nan")}}, "engine.hc"),
        ({"engine": {"calibration": "cold"}}, "engine.calibration"),
        ({"engine": {"init": 2}}, "engine.init"),
        ({"engine": {"astroid": {"b": -1}}}, "engine.astroid.b"),
        ({"engine": {"typo": 1}}, "engine.typo"),
        ({"engine": {"temperature": -300.0}}, "engine.temperature"),
        ({"engine": {"step_duration": 0.0}}, "engine.step_duration"),
        ({"protocol": {"n_steps": 7}}, "protocol.n_steps"),
        ({"protocol": {"n_steps": 2}}, "protocol.n_steps"),
        ({"protocol": {"h_max": -0.01}}, "protocol.h_max"),
        ({"protocol": {"kind": "ramp"}}, "protocol.kind"),
        ({"lattice": {"name": "hexagonal"}}, "lattice.name"),
    ],
)
def test_invalid_values_name_the_field(data, field):
    with pytest.raises(ValidationError) as info:
        LoopRunConfig.model_validate(data)
    locs = {".".join(str(x) for x in e["loc"]) for e in info.value.errors()}
    assert field in locs


def test_unknown_lattice_lists_the_choices():
    with pytest.raises(ValidationError, match="kagome"):
        LatticeConfig(name="hexagonal")


def test_unknown_lattice_parameter_names_the_key_and_the_accepted_ones():
    with pytest.raises(ValidationError) as info:
        LoopRunConfig.model_validate({"lattice": {"name": "square", "params": {"sizes": [2]}}})
    message = validation_message(info.value)
    assert message.startswith("lattice.params: 'sizes' is not a parameter of lattice 'square'")
    assert "size, thickness" in message


def test_build_matches_the_api():
    cfg = LoopRunConfig.model_validate(
        {**SMALL, "engine": {"hc": 0.02, "disorder": 0.1, "seed": 3, "neighbor_distance": 2.0,
                             "temperature": 300.0, "step_duration": 0.5}}
    )
    engine, fields = cfg.build()
    assert engine.n_bars == 12  # 2 nx ny + nx + ny edges of a closed 2 x 2 square ice
    np.testing.assert_array_equal(fields, hysteresis_loop(0.04, 8, 45.0))
    assert engine.neighbor_distance == 2.0
    assert engine.temperature == 300.0 and engine.step_duration == 0.5
    # same seed and disorder -> the same thresholds drawn
    again, _ = cfg.build()
    np.testing.assert_array_equal(engine.threshold, again.threshold)
    assert np.std(engine.threshold) > 0


def test_engine_defaults_follow_the_engine():
    engine = EngineConfig().build(LatticeConfig(params={"size": [2, 2]}).build())
    assert engine.disorder == 0.0 and np.all(engine.spin == 1)


def test_run_stores_the_configuration():
    cfg = LoopRunConfig.model_validate(SMALL)
    ds = cfg.run()
    assert ds.sizes["step"] == 8
    assert LoopRunConfig.model_validate_json(ds.attrs["config"]) == cfg


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_load_config_files(tmp_path, fmt):
    path = tmp_path / f"run.{fmt}"
    if fmt == "toml":
        path.write_text(
            '[lattice]\nname = "kagome"\nparams = { size = [2, 2] }\n'
            "[engine]\ndisorder = 0.05\nseed = 4\n[protocol]\nh_max = 0.03\nn_steps = 10\n"
        )
    else:
        path.write_text(json.dumps({"lattice": {"name": "kagome", "params": {"size": [2, 2]}},
                                    "engine": {"disorder": 0.05, "seed": 4},
                                    "protocol": {"h_max": 0.03, "n_steps": 10}}))
    cfg = load_config(path)
    assert cfg.lattice.name == "kagome"
    assert cfg.engine.disorder == 0.05 and cfg.engine.seed == 4
    assert cfg.protocol == ProtocolConfig(h_max=0.03, n_steps=10)


def test_load_config_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[protocol]\nn_steps = 9\n")
    with pytest.raises(ConfigError, match=r"bad\.toml.*protocol\.n_steps"):
        load_config(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[protocol\n")
    with pytest.raises(ConfigError, match=r"broken\.toml.*TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="no such"):
        load_config(tmp_path / "missing.toml")
    other = tmp_path / "run.yaml"
    other.write_text("a: 1")
    with pytest.raises(ConfigError, match=r"run\.yaml.*format"):
        load_config(other)


def test_sweep_config_points():
    sweep = SweepConfig.model_validate(
        {"base": SMALL, "grid": {"engine.disorder": [0.0, 0.1], "lattice.params.layout": ["rows"]}}
    )
    point = sweep.point_config({"engine.disorder": 0.1, "lattice.params.layout": "rows"})
    assert point.engine.disorder == 0.1
    assert point.lattice.params == {"size": [2, 2], "layout": "rows"}
    assert sweep.base.engine.disorder == 0.0  # the base is not modified


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"engine.disorder": [0.0, -1.0]}, "engine.disorder"),
        ({"engine.typo": [1]}, "engine.typo"),
        ({"nothing.here": [1]}, "nothing"),
        ({"engine.seed": []}, "at least 1 item"),
        ({}, "at least one"),
    ],
)
def test_sweep_config_rejects_bad_grids(grid, match):
    with pytest.raises(ValidationError, match=match):
        SweepConfig.model_validate({"base": SMALL, "grid": grid})


def test_engine_config_builds_vortex_rules_and_coupling():
    from nanomag.config import EngineConfig
    from nanomag.vortices import VortexModel

    cfg = EngineConfig.model_validate({"coupling": "face_charge",
                                       "vortex": {"annihilation_field": 0.03}})
    model = cfg.build(LatticeConfig(name="asvi_width_modulated",
                                    params={"size": [2, 2]}).build())
    assert model.coupling == "face_charge"
    assert model.vortex_model == VortexModel(annihilation_field=0.03)
    with pytest.raises(ValidationError, match="p_plus"):
        EngineConfig.model_validate({"vortex": {"p_plus": 2.0}})
    with pytest.raises(ValidationError, match="coupling"):
        EngineConfig.model_validate({"coupling": "exchange"})
