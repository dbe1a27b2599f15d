"""Preprocessing transformers: each against an independent computation, and the PRCpy
tutorial chain against PRCpy's own processed spectra (pinned in tests/data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from scipy.signal import savgol_filter
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline

from nanomag.measured import (
    Decimate,
    MeasuredDataError,
    MinMaxNormalise,
    PruneCorrelated,
    RangeCut,
    SavitzkyGolay,
    ScaleChannels,
    SubtractBackground,
    prcpy_pipeline,
    read_background,
    read_folder,
)

DATA = Path(__file__).parents[1].parent / "shared" / "data" / "prcpy-cu2oseo3"
PINNED = Path(__file__).parent / "data" / "prcpy_processed.npz"


@pytest.fixture
def spectra() -> xr.DataArray:
    rng = np.random.default_rng(3)
    freq = np.linspace(1e9, 6e9, 64)
    values = np.sin(freq[None, :] / 7e8 + np.arange(5)[:, None]) + 0.1 * rng.normal(size=(5, 64))
    return xr.DataArray(values, dims=("step", "frequency"),
                        coords={"step": np.arange(1, 6), "frequency": freq,
                                "source": ("step", [f"s{k}" for k in range(5)])})


def test_subtract_background_point_by_point(spectra):
    bg = xr.DataArray(np.linspace(-1, 1, 64), dims="frequency",
                      coords={"frequency": spectra["frequency"].values})
    out = SubtractBackground(bg).fit_transform(spectra)
    for k in range(5):
        np.testing.assert_array_equal(out.values[k], spectra.values[k] - bg.values)
    assert out["source"].values.tolist() == spectra["source"].values.tolist()
    plain = SubtractBackground(bg.values).fit_transform(spectra.values)
    np.testing.assert_array_equal(plain, out.values)
    with pytest.raises(MeasuredDataError, match="background has 63 points"):
        SubtractBackground(bg.values[:-1]).transform(spectra)
    cut = spectra.isel(frequency=slice(5, 40, 3))
    np.testing.assert_array_equal(SubtractBackground(bg).transform(cut).values,
                                  cut.values - bg.values[5:40:3])
    shifted = bg.assign_coords(frequency=bg["frequency"].values + 1e6).assign_attrs(
        source="bg.txt")
    with pytest.raises(MeasuredDataError, match="bg.txt: background has no point at frequency"):
        SubtractBackground(shifted).transform(spectra)


def test_savitzky_golay_is_scipy_row_by_row(spectra):
    out = SavitzkyGolay(window=11, order=3).fit_transform(spectra)
    for k in range(5):
        np.testing.assert_allclose(out.values[k], savgol_filter(spectra.values[k], 11, 3),
                                   rtol=0, atol=1e-13)
    with pytest.raises(ValueError, match="window=101"):
        SavitzkyGolay(window=101, order=3).transform(spectra)


def test_range_cut_keeps_both_ends(spectra):
    f = spectra["frequency"].values
    out = RangeCut(f[10], f[20]).fit_transform(spectra)
    np.testing.assert_array_equal(out["frequency"].values, f[10:21])
    np.testing.assert_array_equal(out.values, spectra.values[:, 10:21])
    plain = RangeCut(f[10], f[20], axis_values=f).fit_transform(spectra.values)
    np.testing.assert_array_equal(plain, spectra.values[:, 10:21])
    with pytest.raises(ValueError, match="axis_values"):
        RangeCut(f[10], f[20]).transform(spectra.values)
    with pytest.raises(ValueError, match="no spectral point"):
        RangeCut(7e9, 8e9).transform(spectra)


def test_min_max_local_and_global_by_hand(spectra):
    x = spectra.values
    local = MinMaxNormalise("local").fit_transform(spectra).values
    for k in range(5):
        row = x[k]
        np.testing.assert_allclose(local[k], (row - row.min()) / (row.max() - row.min()),
                                   rtol=0, atol=1e-15)
    glob = MinMaxNormalise("global", feature_range=(-1.0, 1.0)).fit_transform(spectra).values
    np.testing.assert_allclose(glob, (x - x.min()) / (x.max() - x.min()) * 2 - 1,
                               rtol=0, atol=1e-15)
    fitted = MinMaxNormalise("global").fit(x[:3])
    np.testing.assert_allclose(fitted.transform(x[3:]),
                               (x[3:] - x[:3].min()) / (x[:3].max() - x[:3].min()))
    with pytest.raises(ValueError, match="scope"):
        MinMaxNormalise("per-channel").fit(x)
    with pytest.raises(NotFittedError):
        MinMaxNormalise("global").transform(x)
    with pytest.raises(ValueError, match="constant spectrum"):
        MinMaxNormalise("local").transform(np.ones((2, 4)))


def test_decimate_picks_points(spectra):
    out = Decimate(4).fit_transform(spectra)
    np.testing.assert_array_equal(out.values, spectra.values[:, ::4])
    np.testing.assert_array_equal(out["frequency"].values, spectra["frequency"].values[::4])
    np.testing.assert_array_equal(Decimate(3, offset=1).transform(spectra.values),
                                  spectra.values[:, 1::3])


def test_channel_scaling_and_pruning_are_the_readouts(spectra):
    x = spectra.values
    scaled = ScaleChannels().fit_transform(x)
    np.testing.assert_allclose(scaled, x / np.abs(x).max(axis=0))
    doubled = np.hstack([x, 2 * x[:, :1]])
    pruned = PruneCorrelated(threshold=0.999).fit_transform(doubled)
    assert pruned.shape[1] < doubled.shape[1]
    np.testing.assert_array_equal(pruned[:, 0], x[:, 0])


def test_transformers_compose_and_clone(spectra):
    pipe = Pipeline([("smooth", SavitzkyGolay(11, 3)), ("cut", RangeCut(2e9, 5e9)),
                     ("norm", MinMaxNormalise("local")), ("dec", Decimate(2))])
    out = pipe.fit_transform(spectra)
    f = spectra["frequency"].values
    keep = (f >= 2e9) & (f <= 5e9)
    hand = savgol_filter(spectra.values, 11, 3, axis=-1)[:, keep]
    hand = (hand - hand.min(1, keepdims=True)) / np.ptp(hand, axis=1, keepdims=True)
    np.testing.assert_allclose(out.values, hand[:, ::2], atol=1e-13)
    assert out.dims == ("step", "frequency")
    assert clone(pipe).get_params()["cut__low"] == 2e9


@pytest.mark.skipif(not DATA.is_dir(), reason=f"shared measured data not found at {DATA}")
@pytest.mark.parametrize("key", ["mg", "sine"])
@pytest.mark.parametrize("option", ["tutorial", "cut_local"])
def test_prcpy_chain_gives_prcpy_numbers(key, option):
    """PRCpy 0.1.14's processed matrices, pinned by validation/prcpy_processed.py."""
    pinned = np.load(PINNED)
    folder = DATA / {"mg": "mg_mapping_conical", "sine": "sine_mapping_conical"}[key]
    data = read_folder(folder)
    bg = read_background(folder / "BG_450mT_1_0to6_0GHz_4K.txt", like=data)
    if option == "tutorial":
        pipe = prcpy_pipeline(bg)
    else:
        pipe = prcpy_pipeline(bg, smooth=(21, 3), cut=(2e9, 5e9), normalise="local",
                              decimate=7)
    out = pipe.fit_transform(data)
    np.testing.assert_array_equal(out["frequency"].values / 1e9, pinned[f"{key}_{option}_axis"])
    np.testing.assert_allclose(out.values[pinned["rows"]], pinned[f"{key}_{option}_rows"],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.values.sum(axis=0), pinned[f"{key}_{option}_step_sum"],
                               rtol=1e-12)
    np.testing.assert_allclose(out.values.sum(axis=1), pinned[f"{key}_{option}_readout_sum"],
                               rtol=1e-12)
