"""Writing spectra in the per-step folder layout and reading them back."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from nanomag.measured import read_folder, step_file_name, write_folder

DATA = Path(__file__).parents[1].parent / "shared" / "data" / "prcpy-cu2oseo3"


def synthetic(axis: str = "frequency") -> xr.DataArray:
    rng = np.random.default_rng(5)
    axis_values = np.linspace(1e9, 6e9, 33) if axis == "frequency" else np.linspace(0, 0.2, 33)
    return xr.DataArray(
        rng.normal(size=(3, 33)) * 1e-3,
        dims=("step", axis),
        coords={"step": [0, 7, 12], axis: axis_values,
                "applied_field": ("step", [0.174923, -0.0125, 0.2])},
    )


def test_step_file_names():
    assert step_file_name("scan", 1, 0.174923) == "scan_1_174_923mT.txt"
    assert step_file_name("scan", 3, -0.0125) == "scan_3_-12_5mT.txt"
    assert step_file_name("run", 4) == "run_4.txt"


@pytest.mark.parametrize("axis", ["frequency", "field"])
def test_round_trip(tmp_path, axis):
    data = synthetic(axis)
    paths = write_folder(data, tmp_path / "out")
    assert paths[0].name == "scan_0_174_923mT.txt"
    back = read_folder(tmp_path / "out", x="Frequency" if axis == "frequency" else "Field")
    np.testing.assert_array_equal(back.values, data.values)
    np.testing.assert_array_equal(back[axis].values, data[axis].values)
    assert back["step"].values.tolist() == [0, 7, 12]
    np.testing.assert_allclose(back["applied_field"].values, data["applied_field"].values,
                               rtol=1e-12)
    with open(paths[1], newline="") as handle:
        header = next(csv.reader(handle))
    assert header[-1] == "Spectra"


@pytest.mark.skipif(not DATA.is_dir(), reason=f"shared measured data not found at {DATA}")
def test_shared_set_round_trip_is_identical(tmp_path):
    data = read_folder(DATA / "sine_mapping_conical")
    write_folder(data, tmp_path / "copy")
    back = read_folder(tmp_path / "copy")
    xr.testing.assert_identical(back.drop_attrs(), data.drop_attrs())


def test_existing_files_are_never_overwritten(tmp_path):
    data = synthetic()
    folder = tmp_path / "out"
    folder.mkdir()
    kept = folder / "scan_7_-12_5mT.txt"
    kept.write_text("precious")
    with pytest.raises(FileExistsError, match="scan_7_-12_5mT.txt"):
        write_folder(data, folder)
    assert kept.read_text() == "precious"
    assert sorted(p.name for p in folder.iterdir()) == ["scan_7_-12_5mT.txt"]


def test_non_finite_values_are_refused(tmp_path):
    data = synthetic()
    data[1, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        write_folder(data, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_repeated_steps_are_refused(tmp_path):
    data = synthetic().assign_coords(step=[1, 1, 2])
    with pytest.raises(ValueError, match="distinct non-negative integer step"):
        write_folder(data, tmp_path / "out")
    assert not (tmp_path / "out").exists()
