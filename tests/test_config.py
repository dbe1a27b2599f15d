"""Run configurations: validation names the field, files load, build() reaches the API."""

import json

import numpy as np
import pytest
from pydantic import ValidationError

from nanomag.config import (
    ConfigError,
    EngineConfig,
    ExperimentConfig,
    LatticeConfig,
    LoopRunConfig,
    ProtocolConfig,
    SweepConfig,
    VortexConfig,
    load_config,
    validation_message,
)
from nanomag.engine.protocols import hysteresis_loop

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
    assert ds.attrs["kind"] == "loop"
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
    from nanomag.engine.vortices import VortexModel

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


# --------------------------------------------------------------------------- strict configs
def message_for(data, model=LoopRunConfig):
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return validation_message(info.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"engine": {"seed": "1"}}, "engine.seed: Input should be a valid integer"),
        ({"record_states": "yes"}, "record_states: Input should be a valid boolean"),
        ({"engine": {"seed": -1}}, "engine.seed: Input should be greater than or equal to 0"),
        ({"protocol": {"n_steps": 10_000_000_000}},
         "protocol.n_steps: Input should be less than or equal to 1000000"),
        ({"engine": {"temperature": 1e30}},
         "engine.temperature: Input should be less than or equal to 1000"),
        ({"protocol": {"h_max": "0.04"}}, "protocol.h_max: Input should be a valid number"),
        ({"engine": {"disorder": True}}, "engine.disorder: Input should be a valid number"),
        ({"lattice": {"params": {"size": [10**4, 10**4]}}},
         "lattice.params: size = [10000, 10000] has 100,000,000 cells"),
        ({"typo": 1}, "typo: unknown key"),
        ({"lattice": {"name": "square", "params": {"lattice_spacing": "800"}}},
         "lattice.params: lattice_spacing must be a finite number like its default 800.0"),
        ({"lattice": {"name": "asvi_width_modulated", "params": {"layout": 1}}},
         "lattice.params: layout must be a string"),
        ({"lattice": "custom"}, "lattice: lattice 'custom' needs params positions, angles"),
    ],
)
def test_strict_loop_configs_name_the_key_in_one_line(data, expected):
    message = message_for(data)
    assert message.startswith(expected)
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"substrate": {"type": "esn", "spectral_radius": -1}},
         "substrate.spectral_radius: Input should be greater than 0"),
        ({"seed": -1}, "seed: Input should be greater than or equal to 0"),
        ({"substrate": {"type": "quantum"}},
         'substrate: type = "quantum" is not one of "spin_ice", "preset", "esn", "memristor", '),
        ({"substrate": {"n_units": 10}}, 'substrate: needs type = one of "spin_ice", "preset"'),
        ({"tasks": [{"n_samples": 10}]}, 'tasks.0: needs name = one of "sine", '),
        ({"substrate": {"type": "sto", "input_range": [1, 0]}},
         "substrate.input_range: must be [low, high] with high > low"),
        ({"substrate": {"type": "spin_ice", "engine": {"temperature": 1e30}}},
         "substrate.engine.temperature: Input should be less than or equal to 1000"),
        ({"substrate": {"type": "spin_ice", "observation": {"kind": "spectrum", "f_max": 1e9}}},
         "substrate.observation: f_max (1e+09) must exceed f_min"),
        ({"substrate": {"type": "preset", "array": "XX"}}, "substrate.array: Input should be"),
        ({"tasks": [{"name": "mackey_glass", "horizon": "2"}]},
         "tasks.0.horizon: Input should be a valid integer"),
        ({"tasks": [{"name": "sine", "target": "tan"}]}, "tasks.0.target: unknown transformation"),
        ({"tasks": []}, "tasks: List should have at least 1 item"),
        ({"split": {"train_fraction": 1.0}}, "split.train_fraction: Input should be less than 1"),
        ({"readout": {"alphas": [-1.0]}}, "readout.alphas.0: Input should be greater than"),
        ({"substrate": {"type": "esn", "n_units": 5000},
          "tasks": [{"name": "sine", "n_samples": 1_000_000}]},
         "observations of 1,000,000 inputs x 5,000 channels would take 40.0 GB"),
        ({"substrate": {"type": "spin_ice", "observation": {"kind": "regions", "n_regions": 70}},
          "tasks": [{"name": "waveform", "n_periods": 100_000, "period": 10}]},
         "observations of 1,000,000 inputs x 9,800 channels would take 78.4 GB"),
    ],
)
def test_strict_experiment_configs_name_the_key(data, expected):
    assert message_for(data, ExperimentConfig).startswith(expected)


def test_lattice_string_is_shorthand_for_its_name():
    assert LoopRunConfig.model_validate({"lattice": "square"}).lattice == LatticeConfig(
        name="square")
    cfg = ExperimentConfig.model_validate({"substrate": {"type": "spin_ice",
                                                         "lattice": "kagome"}})
    assert cfg.substrate.lattice.name == "kagome"


def test_toml_integers_are_accepted_for_float_keys(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text("[protocol]\nh_max = 1\nn_steps = 8\n")
    assert load_config(path).protocol.h_max == 1.0


def test_files_without_kind_are_loops_or_experiments_by_their_sections(tmp_path):
    loop, experiment = tmp_path / "loop.toml", tmp_path / "exp.toml"
    loop.write_text("[protocol]\nn_steps = 8\n")
    experiment.write_text('[substrate]\ntype = "esn"\n')
    assert isinstance(load_config(loop), LoopRunConfig)
    assert isinstance(load_config(experiment), ExperimentConfig)
    assert load_config(experiment).substrate.type == "esn"
    typo = tmp_path / "typo.toml"
    typo.write_text('[substrat]\ntype = "esn"\n')
    with pytest.raises(ConfigError, match=r"typo\.toml: substrat: unknown key"):
        load_config(typo)


def test_every_substrate_builds_the_api_object_it_names():
    from nanomag.substrates import (
        EchoStateNetwork,
        MemristorReservoir,
        SpinIceReservoir,
        SpinTorqueOscillator,
    )

    expected = {"spin_ice": SpinIceReservoir, "preset": SpinIceReservoir,
                "esn": EchoStateNetwork, "memristor": MemristorReservoir,
                "sto": SpinTorqueOscillator}
    for kind, cls in expected.items():
        cfg = ExperimentConfig.model_validate({"substrate": {"type": kind}, "seed": 7})
        substrate = cfg.substrate.build(cfg.seed)
        assert type(substrate) is cls
        assert substrate.seed == 7
    own = ExperimentConfig.model_validate({"substrate": {"type": "esn", "seed": 3,
                                                         "n_units": 12}})
    assert own.substrate.build(0).get_params()["seed"] == 3
    assert own.substrate.build(0).n_units == 12


def test_preset_config_is_the_preset():
    from nanomag.experiments.presets import preset

    cfg = ExperimentConfig.model_validate({"substrate": {"type": "preset", "array": "PW",
                                                         "size": [3, 3]}})
    built, ref = cfg.substrate.build(2), preset("PW", (3, 3), 2)
    assert built.lattice == ref.lattice and built.lattice_params == ref.lattice_params
    assert built.encoder.get_params() == ref.encoder.get_params()


# --------------------------------------------------------------------------- sweeps
EXPERIMENT = {"substrate": {"type": "esn", "n_units": 20},
              "tasks": [{"name": "mackey_glass", "n_samples": 200}]}


def test_flat_sweep_of_an_experiment_sets_dotted_and_indexed_keys():
    sweep = SweepConfig.model_validate(
        {**EXPERIMENT, "grid": {"substrate.spectral_radius": [0.5, 0.9],
                                "tasks.0.horizon": [1, 4]}})
    assert isinstance(sweep.base, ExperimentConfig)
    point = sweep.point_config({"substrate.spectral_radius": 0.5, "tasks.0.horizon": 4})
    assert point.substrate.spectral_radius == 0.5 and point.tasks[0].horizon == 4
    assert sweep.base.tasks[0].horizon == 1


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"substrate.spectral_radiu": [0.5]}, "substrate.spectral_radiu: unknown key"),
        ({"substrate.spectral_radius": [-0.5]},
         "substrate.spectral_radius: Input should be greater than 0"),
        ({"tasks.3.horizon": [1]}, "tasks.3 is not an entry of a list of 1"),
        ({"seed": ["1"]}, "seed: Input should be a valid integer"),
    ],
)
def test_bad_grid_keys_are_named_before_anything_runs(grid, match):
    with pytest.raises(ValidationError, match=match):
        SweepConfig.model_validate({**EXPERIMENT, "grid": grid})


def test_loop_sweep_given_only_by_its_grid_is_a_loop_sweep():
    sweep = SweepConfig.model_validate({"grid": {"engine.disorder": [0.0, 0.1]}})
    assert isinstance(sweep.base, LoopRunConfig)


# --------------------------------------------------------------------------- reference
def test_config_reference_is_up_to_date_and_lists_every_key():
    from pathlib import Path

    from nanomag.config.reference import _sections, reference

    text = reference()
    committed = Path(__file__).parents[1] / "docs" / "config-reference.md"
    assert committed.read_text() == text, "run python -m nanomag.config.reference"
    for path, model in _sections():
        section = text.split(f"### `{path}`\n", 1)[1].split("\n### ", 1)[0]
        for name, info in model.model_fields.items():
            assert f"| `{name}` |" in section, (path, name)
            unit = (info.json_schema_extra or {}).get("unit")
            if unit:
                row = next(line for line in section.splitlines() if line.startswith(f"| `{name}`"))
                assert f"| {unit} |" in row, (path, name)
    for model in ("EsnConfig", "MemristorConfig", "StoConfig", "PresetConfig",
                  "SpinIceConfig", "MackeyGlassTask", "HenonTask"):
        assert any(type_.__name__ == model for _, type_ in _sections()), model


def test_vortex_switch_in_toml(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text('[substrate]\ntype = "spin_ice"\nengine = { vortex = false }\n')
    assert load_config(path).substrate.engine.vortex is None
    assert ExperimentConfig().substrate.engine.vortex == VortexConfig()
    path.write_text("[engine]\nvortex = true\n")
    assert load_config(path).engine.vortex == VortexConfig()


@pytest.mark.parametrize("text", ['kind = "hysteresis"\n',
                                  'kind = "hysteresis"\n[grid]\nseed = [1, 2]\n'])
def test_unknown_run_kind_lists_the_kinds(tmp_path, text):
    path = tmp_path / "kind.toml"
    path.write_text(text)
    model = SweepConfig if "grid" in text else None
    with pytest.raises(ConfigError, match='kind = "hysteresis" is not one of "experiment", "loop"'):
        load_config(path, model)
