"""Results store: round trips, refusal to overwrite, atomic writes, clear errors on bad stores."""

import json
import os

import numpy as np
import pytest
import xarray as xr

import nanomag
from nanomag import store
from nanomag.config import LoopRunConfig
from nanomag.store import StoreError, load, save, stored_config


def sample() -> xr.Dataset:
    rng = np.random.default_rng(0)
    return xr.Dataset(
        {
            "magnetization": (("step", "component"), rng.normal(size=(6, 2))),
            "flips": (("step",), rng.integers(0, 9, 6)),
            "spin": (("step", "bar"), rng.choice(np.array([-1, 1], np.int8), (6, 4))),
        },
        coords={"step": np.arange(6), "component": ["x", "y"], "disorder": 0.05},
        attrs={"lattice": "square", "n_bars": 4, "field_units": "T"},
    )


@pytest.mark.parametrize("name", ["result.zarr", "result.nc", "result"])
def test_round_trip(tmp_path, name):
    ds = sample()
    cfg = LoopRunConfig()
    path = save(ds, tmp_path / name, config=cfg)
    back = load(path)
    xr.testing.assert_identical(back.drop_attrs(), ds.drop_attrs())
    assert back["spin"].dtype == np.int8
    assert back.attrs["lattice"] == "square" and back.attrs["n_bars"] == 4
    assert back.attrs["nanomag_version"] == nanomag.__version__
    assert LoopRunConfig.model_validate(stored_config(back)) == cfg
    assert "nanomag_version" not in ds.attrs  # the caller's Dataset is left alone
    assert os.listdir(tmp_path) == [name]  # no temporary left behind


def test_mapping_config_is_stored_as_json(tmp_path):
    back = load(save(sample(), tmp_path / "r.nc", config={"a": [1, 2]}))
    assert json.loads(back.attrs["config"]) == {"a": [1, 2]}
    assert stored_config(sample()) is None


@pytest.mark.parametrize("name", ["r.zarr", "r.nc"])
def test_refuses_to_overwrite(tmp_path, name):
    path = save(sample(), tmp_path / name)
    with pytest.raises(FileExistsError, match=name):
        save(sample() * 0 + 1, path)
    xr.testing.assert_identical(load(path).drop_attrs(), sample().drop_attrs())
    save(sample().isel(step=slice(0, 2)), path, overwrite=True)
    assert load(path).sizes["step"] == 2
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("name", ["r.zarr", "r.nc"])
def test_interrupted_write_leaves_nothing_under_the_final_name(tmp_path, monkeypatch, name):
    def crash(tmp, path, overwrite):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_move_into_place", crash)
    with pytest.raises(KeyboardInterrupt):
        save(sample(), tmp_path / name)
    assert os.listdir(tmp_path) == []


def test_missing_store(tmp_path):
    with pytest.raises(StoreError, match="nothing.zarr"):
        load(tmp_path / "nothing.zarr")


def test_truncated_netcdf(tmp_path):
    path = save(sample(), tmp_path / "r.nc")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError, match=r"r\.nc.*netCDF"):
        load(path)


def test_zarr_without_metadata(tmp_path):
    path = save(sample(), tmp_path / "r.zarr")
    for meta in (".zmetadata", ".zgroup", ".zattrs"):
        (path / meta).unlink()
    with pytest.raises(StoreError, match=r"r\.zarr.*metadata"):
        load(path)
    (tmp_path / "empty.zarr").mkdir()
    with pytest.raises(StoreError, match="empty.zarr.*no checksum manifest"):
        load(tmp_path / "empty.zarr")


def test_wrong_kind_of_path(tmp_path):
    (tmp_path / "file.zarr").write_text("x")
    with pytest.raises(StoreError, match="found a file"):
        load(tmp_path / "file.zarr")
    with pytest.raises(FileNotFoundError, match="no_dir"):
        save(sample(), tmp_path / "no_dir" / "r.nc")
