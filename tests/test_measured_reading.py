"""Reading measured spectra: the shared Cu2OSeO3 sets, the formats, and every bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

from nanomag import progress, store
from nanomag.measured import (
    MeasuredDataError,
    parse_file_name,
    read_background,
    read_folder,
    read_hdf5,
    read_matrix,
    read_store,
)

DATA = Path(__file__).parents[1].parent / "shared" / "data" / "prcpy-cu2oseo3"
SETS = ["mg_mapping_conical", "sine_mapping_conical"]
BACKGROUND = "BG_450mT_1_0to6_0GHz_4K.txt"
needs_data = pytest.mark.skipif(not DATA.is_dir(),
                                reason=f"shared measured data not found at {DATA}")


def write_steps(folder: Path, spectra: np.ndarray, freqs_ghz: np.ndarray,
                sep: str = ",", names: tuple[str, ...] = ("Frequency", "Spectra")) -> None:
    """Per-step files ``scan_<k>_<k*10>mT.txt`` holding frequency and spectrum columns."""
    folder.mkdir(exist_ok=True)
    for k, row in enumerate(spectra, start=1):
        lines = [sep.join(f'"{n}"' for n in names)]
        lines += [sep.join([repr(f), repr(v)])
                  for f, v in zip(freqs_ghz.tolist(), row.tolist(), strict=True)]
        (folder / f"scan_{k}_{10 * k}mT.txt").write_text("\n".join(lines) + "\n")


@pytest.fixture
def small(tmp_path):
    rng = np.random.default_rng(0)
    spectra = rng.normal(size=(4, 6))
    freqs = np.linspace(1.0, 2.0, 6)
    write_steps(tmp_path / "run", spectra, freqs)
    return tmp_path / "run", spectra, freqs


# ----------------------------------------------------------------------------- shared sets


@needs_data
@pytest.mark.parametrize("name", SETS)
def test_shared_sets_step_order_and_fields_follow_the_file_names(name):
    folder = DATA / name
    data = read_folder(folder)
    files = [p.name for p in folder.iterdir() if p.name.startswith("scan_")]
    # scan_<step>_<whole>_<fraction>mT.txt, decoded here by splitting on underscores
    parts = sorted((int(n.split("_")[1]), n) for n in files)
    assert data.dims == ("step", "frequency")
    assert data.sizes == {"step": 100, "frequency": 1601}
    assert data["step"].values.tolist() == [s for s, _ in parts] == list(range(1, 101))
    assert data["source"].values.tolist() == [n for _, n in parts]
    fields = [float(n.split("_")[2] + "." + n.split("_")[3].removesuffix("mT.txt")) * 1e-3
              for _, n in parts]
    np.testing.assert_allclose(data["applied_field"].values, fields, rtol=1e-15)
    assert data["frequency"].attrs["units"] == "Hz"
    assert data["applied_field"].attrs["units"] == "T"
    assert data.attrs["folder"] == str(folder.resolve())


@needs_data
@pytest.mark.parametrize("name", SETS)
def test_shared_cells_equal_the_csv_module_reading(name):
    folder = DATA / name
    data = read_folder(folder)
    for step in (1, 2, 57, 100):
        source = str(data["source"].sel(step=step).item())
        with open(folder / source, newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        freq = np.array([float(r[header.index("Frequency")]) for r in body])
        spec = np.array([float(r[header.index("Spectra")]) for r in body])
        np.testing.assert_array_equal(data.sel(step=step).values, spec)
        np.testing.assert_array_equal(data["frequency"].values, freq * 1e9)


@needs_data
def test_shared_background_on_the_same_axis():
    folder = DATA / SETS[0]
    data = read_folder(folder)
    bg = read_background(folder / BACKGROUND, like=data)
    with open(folder / BACKGROUND, newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("Spectra")
    np.testing.assert_array_equal(bg.values, [float(r[column]) for r in rows[1:]])
    assert bg.dims == ("frequency",)
    np.testing.assert_array_equal(bg["frequency"].values, data["frequency"].values)


# ----------------------------------------------------------------------------- numbers


def test_numbers_are_parsed_exactly_as_python_float(tmp_path):
    rng = np.random.default_rng(1)
    values = (rng.standard_normal(3000) * 10.0 ** rng.integers(-300, 300, 3000)).tolist()
    texts = [repr(v) for v in values] + [f"{v:.17e}" for v in values[:500]]
    texts += ["0", "-0.0", "1e23", "9007199254740993", "4.9e-324", "1.7976931348623157e308",
              "123456789012345678901234.5", "0.000000000000000000000000001234", "+7.25E-3"]
    lines = ["Frequency;Spectra"] + [f"{k};{t}" for k, t in enumerate(texts)]
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "scan_1.txt").write_text("\n".join(lines))
    data = read_folder(tmp_path / "run")
    expected = np.array([float(t) for t in texts])
    np.testing.assert_array_equal(data.values[0].view(np.uint64), expected.view(np.uint64))
    assert "applied_field" not in data.coords


@pytest.mark.parametrize("sep", [",", "\t", ";", "  "])
def test_delimiters_are_detected(tmp_path, small, sep):
    _, spectra, freqs = small
    write_steps(tmp_path / "other", spectra, freqs, sep=sep)
    data = read_folder(tmp_path / "other")
    np.testing.assert_array_equal(data.values, spectra)
    np.testing.assert_array_equal(data["frequency"].values, freqs * 1e9)


def test_windows_line_ends_quotes_and_blank_lines(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    text = '\ufeff"Frequency","Spectra"\r\n"1.5","-2e-3"\r\n\r\n2.5,4\r\n\r\n'
    (folder / "scan_1.txt").write_text(text, encoding="utf-8")
    data = read_folder(folder)
    np.testing.assert_array_equal(data.values, [[-2e-3, 4.0]])
    np.testing.assert_array_equal(data["frequency"].values, [1.5e9, 2.5e9])


def test_natural_step_order_prefix_filter_and_name_fields(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    for step in (10, 2, 1):
        (folder / f"scan_{step}_-1_5mT.txt").write_text(f"Frequency,Spectra\n1,{step}\n2,0\n")
    (folder / "BG_450mT.txt").write_text("Frequency,Spectra\n1,9\n2,9\n")
    (folder / "notes.md").write_text("not data")
    data = read_folder(folder)
    assert data["step"].values.tolist() == [1, 2, 10]
    assert data.values[:, 0].tolist() == [1.0, 2.0, 10.0]
    np.testing.assert_allclose(data["applied_field"].values, -1.5e-3)
    assert parse_file_name("run07_3_2_5Oe.csv", prefix="run07") == (3, pytest.approx(2.5e-4))
    assert parse_file_name("scan_12.txt") == (12, pytest.approx(np.nan, nan_ok=True))
    assert parse_file_name("BG_450mT.txt") is None


def test_field_axis_and_units(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "scan_1.txt").write_text("Field\tSignal\n100\t1.5\n200\t2.5\n")
    data = read_folder(folder, x="Field", y="Signal")
    assert data.dims == ("step", "field")
    np.testing.assert_allclose(data["field"].values, [0.1, 0.2])
    tesla = read_folder(folder, x="Field", y="Signal", x_unit="T")
    np.testing.assert_array_equal(tesla["field"].values, [100.0, 200.0])
    with pytest.raises(ValueError, match="axis="):
        read_folder(folder, x="Signal", y="Field")


def test_progress_is_reported_while_reading(small):
    folder, _, _ = small
    calls = []
    with progress.reporting(lambda *a: calls.append(a)):
        read_folder(folder)
    assert calls[0] == ("reading", 0, 4)
    assert calls[-1] == ("reading", 4, 4)


# ----------------------------------------------------------------------------- other formats


def test_matrix_file(tmp_path, small):
    _, spectra, freqs = small
    path = tmp_path / "all.tsv"
    lines = ["step\t" + "\t".join(map(repr, freqs.tolist()))]
    lines += [f"{k}\t" + "\t".join(map(repr, row)) for k, row in enumerate(spectra.tolist(), 1)]
    path.write_text("\n".join(lines) + "\n")
    data = read_matrix(path)
    np.testing.assert_array_equal(data.values, spectra)
    np.testing.assert_array_equal(data["frequency"].values, freqs * 1e9)
    assert data["step"].values.tolist() == [1, 2, 3, 4]


def test_hdf5_file(tmp_path, small):
    _, spectra, freqs = small
    path = tmp_path / "run.h5"
    with h5py.File(path, "w") as f:
        f["spectra"] = spectra
        f["frequency"] = freqs
        f["frequency"].attrs["units"] = "GHz"
        f["steps"] = np.arange(5, 9)
    data = read_hdf5(path, steps="steps")
    np.testing.assert_array_equal(data.values, spectra)
    np.testing.assert_array_equal(data["frequency"].values, freqs * 1e9)
    assert data["step"].values.tolist() == [5, 6, 7, 8]
    with pytest.raises(MeasuredDataError, match=r"run\.h5: no dataset 'nope' \(found: "):
        read_hdf5(path, data="nope")


@pytest.mark.parametrize("name", ["spectra.nc", "spectra.zarr"])
def test_nanomag_store_round_trip(tmp_path, small, name):
    folder, _, _ = small
    data = read_folder(folder)
    store.save(data.to_dataset(), tmp_path / name)
    back = read_store(tmp_path / name)
    xr.testing.assert_identical(back.drop_attrs(), data.drop_attrs())
    with pytest.raises(MeasuredDataError, match="no variable 'other'"):
        read_store(tmp_path / name, variable="other")


# ----------------------------------------------------------------------------- bad input


def error(call, *args, **kwargs) -> str:
    with pytest.raises(MeasuredDataError) as info:
        call(*args, **kwargs)
    return str(info.value)


def test_missing_empty_and_unmatched_folders(tmp_path):
    assert "no such folder" in error(read_folder, tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    assert "empty" in error(read_folder, tmp_path / "empty")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "run_1.txt").write_text("Frequency,Spectra\n1,2\n")
    message = error(read_folder, tmp_path / "other")
    assert "prefix 'scan'" in message and "run_1.txt" in message


def test_missing_column_lists_the_columns_found(small):
    folder, _, _ = small
    message = error(read_folder, folder, y="Amplitude")
    assert "scan_1_10mT.txt" in message
    assert "'Amplitude'" in message and "Frequency, Spectra" in message


def test_different_axes_name_the_first_differing_file(small):
    folder, _, freqs = small
    shifted = folder / "scan_3_30mT.txt"
    text = shifted.read_text().replace(repr(float(freqs[2])), repr(float(freqs[2]) + 0.01))
    shifted.write_text(text)
    message = error(read_folder, folder)
    assert "scan_3_30mT.txt" in message and "axis" in message
    shorter = folder / "scan_2_20mT.txt"
    shorter.write_text("\n".join(shorter.read_text().splitlines()[:-1]))
    message = error(read_folder, folder)
    assert "scan_2_20mT.txt" in message and "5 axis points" in message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("NaN", "NaN in a numeric cell"), ("abc", "'abc' is not a number"),
     ("", "empty cell"), ("1.5.2", "'1.5.2' is not a number")],
)
def test_bad_cells_name_file_line_and_column(small, cell, expected):
    folder, _, _ = small
    path = folder / "scan_4_40mT.txt"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].split(",")[0] + "," + cell
    path.write_text("\n".join(lines))
    message = error(read_folder, folder)
    assert f"scan_4_40mT.txt: line 4, column 2: {expected}" in message


def test_row_with_too_few_cells(small):
    folder, _, _ = small
    path = folder / "scan_2_20mT.txt"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].split(",")[0]
    path.write_text("\n".join(lines))
    assert "scan_2_20mT.txt: line 6: 1 cells where the header has 2" in error(read_folder,
                                                                              folder)


def test_background_of_another_length(small, tmp_path):
    folder, _, _ = small
    data = read_folder(folder)
    bg = tmp_path / "bg.txt"
    bg.write_text("Frequency,Spectra\n1,0\n2,0\n")
    message = error(read_background, bg, like=data)
    assert "bg.txt" in message and "2 points" in message and "6" in message


def test_files_with_another_delimiter(small):
    folder, _, _ = small
    path = folder / "scan_3_30mT.txt"
    path.write_text(path.read_text().replace(",", "\t"))
    message = error(read_folder, folder)
    assert "scan_3_30mT.txt: delimiter '\\t' differs from ','" in message
