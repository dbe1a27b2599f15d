"""Results store integrity: every kind of damage to a saved result is a StoreError naming the
variable, and --overwrite replaces only a nanomag result."""

import os
import shutil

import h5py
import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from nanomag import store
from nanomag.cli import app
from nanomag.store import CHECKSUM_ATTR, MANIFEST_FILE, StoreError, is_result, load, save


def sample() -> xr.Dataset:
    """Two chunks per variable along ``step`` (so chunks can be swapped), int and float data."""
    rng = np.random.default_rng(1)
    ds = xr.Dataset(
        {
            "magnetization": (("step", "component"), rng.normal(size=(8, 2))),
            "spin": (("step", "bar"), rng.choice(np.array([-1, 1], np.int8), (8, 5))),
        },
        coords={"step": np.arange(8), "component": ["x", "y"]},
        attrs={"lattice": "square", "n_bars": 5},
    )
    return ds.chunk({"step": 4})


@pytest.fixture
def zarr_result(tmp_path):
    return save(sample(), tmp_path / "r.zarr")


@pytest.fixture
def nc_result(tmp_path):
    return save(sample(), tmp_path / "r.nc")


def flip_byte(path, offset):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def swap(a, b):
    tmp = a.with_name("swap")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)


ZARR_DAMAGE = {
    "deleted chunk": (lambda r: (r / "magnetization" / "1.0").unlink(), "magnetization"),
    "flipped byte": (lambda r: flip_byte(r / "spin" / "0.0", 20), "spin"),
    "swapped chunks": (lambda r: swap(r / "magnetization" / "0.0", r / "magnetization" / "1.0"),
                       "magnetization"),
    "deleted variable": (lambda r: shutil.rmtree(r / "spin"), "spin"),
    "truncated chunk": (lambda r: (r / "magnetization" / "0.0").write_bytes(
        (r / "magnetization" / "0.0").read_bytes()[:-3]), "magnetization"),
    "extra chunk": (lambda r: shutil.copy(r / "step" / "0", r / "step" / "2"), "step"),
    "altered array metadata": (lambda r: (r / "spin" / ".zattrs").write_text(
        (r / "spin" / ".zattrs").read_text().replace("bar", "bat")), "spin"),
    "altered .zattrs": (lambda r: (r / ".zattrs").write_text(
        (r / ".zattrs").read_text().replace("square", "kagome")), "metadata"),
    "altered .zmetadata": (lambda r: (r / ".zmetadata").write_text(
        (r / ".zmetadata").read_text().replace("square", "kagome")), "metadata"),
}


@pytest.mark.parametrize("damage", ZARR_DAMAGE)
def test_damaged_zarr_result_is_refused_naming_the_variable(zarr_result, damage):
    corrupt, owner = ZARR_DAMAGE[damage]
    corrupt(zarr_result)
    with pytest.raises(StoreError, match=rf"r\.zarr.*{owner}"):
        load(zarr_result)


def test_zarr_without_its_manifest_is_refused(zarr_result):
    (zarr_result / MANIFEST_FILE).unlink()
    with pytest.raises(StoreError, match="no checksum manifest"):
        load(zarr_result)
    assert not is_result(zarr_result)


def data_region(path, name):
    with h5py.File(path, "r") as f:
        dset = f[name]
        return dset.id.get_offset(), dset.id.get_storage_size()


@pytest.mark.parametrize("name", ["magnetization", "spin", "step"])
def test_random_bytes_in_a_netcdf_data_region(nc_result, name):
    offset, size = data_region(nc_result, name)
    assert offset is not None and size > 0
    data = bytearray(nc_result.read_bytes())
    rng = np.random.default_rng(7)
    start = offset + size // 3
    data[start:start + 4] = bytes(b ^ 0xFF for b in data[start:start + 4])
    data[offset + size - 1] ^= rng.integers(1, 256)
    nc_result.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=rf"r\.nc.*{name!r}"):
        load(nc_result)


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_netcdf_is_refused(nc_result, keep):
    data = nc_result.read_bytes()
    nc_result.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(StoreError, match=r"r\.nc"):
        load(nc_result)


def test_altered_netcdf_attribute_is_refused(nc_result):
    data = nc_result.read_bytes()
    assert data.count(b"square") == 1
    nc_result.write_bytes(data.replace(b"square", b"kagome"))
    with pytest.raises(StoreError, match="global attributes"):
        load(nc_result)


def test_netcdf_without_checksums_is_refused(nc_result):
    with h5py.File(nc_result, "r+") as f:
        del f.attrs[CHECKSUM_ATTR]
    assert not is_result(nc_result)
    with pytest.raises(StoreError, match="no checksums"):
        load(nc_result)


@pytest.mark.parametrize("name", ["r.zarr", "r.nc"])
def test_intact_result_loads_the_saved_values(tmp_path, name):
    path = save(sample(), tmp_path / name)
    assert is_result(path)
    back = load(path)
    assert CHECKSUM_ATTR not in back.attrs
    xr.testing.assert_identical(back.drop_attrs(), sample().compute().drop_attrs())


def user_folder(path):
    path.mkdir()
    (path / "notes.txt").write_text("my thesis")
    return path


@pytest.mark.parametrize("name", ["r.zarr", "r.nc"])
def test_overwrite_refuses_a_directory_that_is_not_a_result(tmp_path, name):
    folder = user_folder(tmp_path / name)
    with pytest.raises(FileExistsError, match=f"{name} exists and is not a nanomag result"):
        save(sample(), folder, overwrite=True)
    assert os.listdir(folder) == ["notes.txt"]
    assert sorted(os.listdir(tmp_path)) == [name]  # no temporary left behind


@pytest.mark.parametrize("content", [b"plain text", b"\x89HDF\r\n\x1a\n but not HDF5"])
def test_overwrite_refuses_a_file_that_is_not_a_result(tmp_path, content):
    path = tmp_path / "r.nc"
    path.write_bytes(content)
    with pytest.raises(FileExistsError, match="not a nanomag result"):
        save(sample(), path, overwrite=True)
    assert path.read_bytes() == content


def test_overwrite_refuses_an_hdf5_file_of_someone_else(tmp_path):
    path = tmp_path / "r.nc"
    sample().compute().to_netcdf(path, engine="h5netcdf")
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="not a nanomag result"):
        save(sample(), path, overwrite=True)
    assert path.read_bytes() == before


def test_failed_swap_keeps_the_old_result(zarr_result, monkeypatch):
    rename = os.rename

    def failing(src, dst):
        if str(src).endswith(".tmp"):
            raise OSError("disk full")
        rename(src, dst)

    monkeypatch.setattr(store.os, "rename", failing)
    with pytest.raises(OSError, match="disk full"):
        save(sample().isel(step=slice(0, 2)), zarr_result, overwrite=True)
    assert load(zarr_result).sizes["step"] == 8
    assert os.listdir(zarr_result.parent) == ["r.zarr"]


def test_remove_temporaries(tmp_path):
    save(sample(), tmp_path / "kept.nc")
    (tmp_path / f".p.nc.{'a' * 32}.tmp").write_text("half")
    (tmp_path / f".p.zarr.{'b' * 32}.tmp").mkdir()
    (tmp_path / ".hidden").write_text("user")
    assert store.remove_temporaries(tmp_path) == 2
    assert sorted(os.listdir(tmp_path)) == [".hidden", "kept.nc"]


def test_cli_overwrite_refuses_a_directory_that_is_not_a_result(tmp_path):
    folder = user_folder(tmp_path / "loop.zarr")
    result = CliRunner().invoke(app, ["loop", "--size", "2", "2", "--steps", "8", "--out",
                                      str(folder), "--overwrite"])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert message.startswith("error:") and "\n" not in message
    assert "loop.zarr" in message and "not a nanomag result" in message
    assert "coercive" not in result.stdout  # refused before the loop ran
    assert os.listdir(folder) == ["notes.txt"]


@pytest.mark.parametrize("suffix", [".zarr", ".nc"])
def test_store_without_checksums_reads_only_when_asked_unverified(tmp_path, suffix):
    # a store written by another program (or by nanomag before it kept checksums)
    path = tmp_path / f"plain{suffix}"
    if suffix == ".nc":
        sample().to_netcdf(path, engine="h5netcdf")
    else:
        sample().to_zarr(path, zarr_format=2, consolidated=True)
    with pytest.raises(StoreError, match=r"verify=False"):
        load(path)
    read = load(path, verify=False)
    xr.testing.assert_identical(read.drop_attrs(), sample().compute().drop_attrs())
