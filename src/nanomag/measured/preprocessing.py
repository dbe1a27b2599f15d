"""Preprocessing of measured spectra as scikit-learn transformers.

Every transformer works along the last axis (the spectral axis: frequency or field) of
either a reader's DataArray (dims ``("step", axis)``; coordinates are kept, and a cut or a
decimation keeps the matching axis coordinates) or a plain array of shape
``(steps, channels)``.  They compose in a :class:`sklearn.pipeline.Pipeline`;
:func:`prcpy_pipeline` builds the chain of PRCpy's tutorials.

Where a step mirrors an option of PRCpy 0.1.14's ``Prepare.process_data`` it gives the same
numbers (same formula, same order of operations when used as in :func:`prcpy_pipeline`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from scipy.signal import savgol_filter
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from nanomag.measured.reading import MeasuredDataError
from nanomag.readout.features import channel_scale, prune_correlated

ArrayLike = np.ndarray | xr.DataArray


def _values(X: ArrayLike) -> np.ndarray:
    values = np.asarray(X.values if isinstance(X, xr.DataArray) else X, dtype=np.float64)
    if values.ndim < 1:
        raise ValueError(f"expected spectra with at least one axis, got shape {values.shape}")
    return values


def _with_values(X: ArrayLike, values: np.ndarray) -> ArrayLike:
    """``values`` in the container of ``X`` (same dims and coordinates for a DataArray)."""
    return X.copy(data=values) if isinstance(X, xr.DataArray) else values


def _select(X: ArrayLike, index: np.ndarray | slice) -> ArrayLike:
    """The points ``index`` of the last axis of ``X`` (coordinates follow for a DataArray)."""
    if isinstance(X, xr.DataArray):
        return X.isel({X.dims[-1]: index})
    return np.asarray(X)[..., index]


class _Stateless(TransformerMixin, BaseEstimator):
    """A transformer with nothing to learn: ``fit`` only returns the transformer."""

    def fit(self, X: ArrayLike, y=None):
        return self


class SubtractBackground(_Stateless):
    """Subtract a background spectrum: ``out[s, k] = X[s, k] - background[k]``.

    Points are matched by position along the spectral axis, as PRCpy's ``remove_bg`` does
    (``rc_df.sub(bg_spec, axis=0)``).  When the data and the background are both DataArrays
    on the same axis, points are matched by axis value instead (relative 1e-9), so the data
    may have been cut or decimated first; every data point must then be a background point.

    Args:
        background: the background spectrum, 1-D (a DataArray from
            :func:`nanomag.measured.read_background` or an array).

    Raises:
        MeasuredDataError: naming the background's source file (``attrs["source"]``) when its
            points do not match the data's.
    """

    def __init__(self, background: ArrayLike):
        self.background = background

    def _aligned(self, X: ArrayLike, n_points: int) -> np.ndarray:
        """The background at the data's spectral points."""
        bg = _values(self.background)
        labelled = isinstance(self.background, xr.DataArray)
        source = self.background.attrs.get("source", "background") if labelled else "background"
        if bg.ndim != 1:
            raise MeasuredDataError(f"{source}: background must be 1-D, got shape {bg.shape}")
        dim = X.dims[-1] if isinstance(X, xr.DataArray) else None
        if not (labelled and dim in X.coords and dim in self.background.coords):
            if bg.size != n_points:
                raise MeasuredDataError(f"{source}: background has {bg.size} points, the data "
                                        f"have {n_points} along the spectral axis")
            return bg
        axis, bg_axis = X[dim].values, self.background[dim].values
        order = np.argsort(bg_axis, kind="stable")
        k = np.clip(np.searchsorted(bg_axis[order], axis), 0, bg_axis.size - 1)
        below = np.clip(k - 1, 0, bg_axis.size - 1)
        k = np.where(np.abs(bg_axis[order][below] - axis) < np.abs(bg_axis[order][k] - axis),
                     below, k)
        missing = ~np.isclose(bg_axis[order][k], axis, rtol=1e-9, atol=0.0)
        if missing.any():
            raise MeasuredDataError(
                f"{source}: background has no point at {dim} {axis[np.argmax(missing)]!r} "
                f"(background has {bg.size} points, the data {n_points})"
            )
        return bg[order][k]

    def transform(self, X: ArrayLike) -> ArrayLike:
        values = _values(X)
        return _with_values(X, values - self._aligned(X, values.shape[-1]))


class SavitzkyGolay(_Stateless):
    """Savitzky-Golay smoothing along the spectral axis of each spectrum.

    ``scipy.signal.savgol_filter(X, window, order, axis=-1, mode=mode)``: each point is
    replaced by the value at that point of the least-squares polynomial of degree ``order``
    fitted over the ``window`` points centred on it; ``mode="interp"`` (scipy's default, and
    what PRCpy's ``smooth`` uses) fits the polynomial to the first and last ``window`` points
    for the edges.

    Args:
        window: odd window length in points, larger than ``order``.
        order: polynomial degree.
        mode: edge handling, as in scipy.
    """

    def __init__(self, window: int = 51, order: int = 4, mode: str = "interp"):
        self.window = window
        self.order = order
        self.mode = mode

    def transform(self, X: ArrayLike) -> ArrayLike:
        values = _values(X)
        if values.shape[-1] < self.window:
            raise ValueError(f"window={self.window} is longer than the spectra "
                             f"({values.shape[-1]} points)")
        smooth = savgol_filter(values, self.window, self.order, axis=-1, mode=self.mode)
        return _with_values(X, smooth)


class RangeCut(_Stateless):
    """Keep the spectral points with ``low <= axis <= high`` (both ends included).

    ``low`` and ``high`` are in the axis units of the data (Hz for a frequency axis, T for a
    field axis); None leaves that side open.  PRCpy's ``cut_xs`` with ``x1``, ``x2`` keeps
    the same points (it compares the raw file values, e.g. GHz: pass ``x1 * 1e9``).  A plain
    array needs its axis values in ``axis_values``.
    """

    def __init__(self, low: float | None = None, high: float | None = None,
                 axis_values: Sequence[float] | None = None):
        self.low = low
        self.high = high
        self.axis_values = axis_values

    def transform(self, X: ArrayLike) -> ArrayLike:
        if isinstance(X, xr.DataArray):
            axis = X[X.dims[-1]].values
        elif self.axis_values is not None:
            axis = np.asarray(self.axis_values, dtype=np.float64)
        else:
            raise ValueError("RangeCut on a plain array needs axis_values (the axis of its "
                             "last dimension)")
        if axis.size != _values(X).shape[-1]:
            raise ValueError(f"axis_values has {axis.size} points, the spectra have "
                             f"{_values(X).shape[-1]}")
        keep = np.ones(axis.size, dtype=bool)
        if self.low is not None:
            keep &= axis >= self.low
        if self.high is not None:
            keep &= axis <= self.high
        if not keep.any():
            raise ValueError(f"no spectral point lies between low={self.low} and "
                             f"high={self.high} (axis spans {axis.min()} to {axis.max()})")
        return _select(X, np.flatnonzero(keep))


class MinMaxNormalise(TransformerMixin, BaseEstimator):
    """Min-max normalisation onto ``feature_range = (a, b)``.

    ``out = (X - lo) / (hi - lo) * (b - a) + a`` with

    * ``scope="local"``: ``lo``, ``hi`` the minimum and maximum of each spectrum (each step
      on its own), as PRCpy's ``normalize_local``;
    * ``scope="global"``: ``lo``, ``hi`` the minimum and maximum over every step and point
      of the data given to ``fit`` (attributes ``data_min_``, ``data_max_``), as PRCpy's
      ``normalize_global`` when fitted on the data it transforms (``fit_transform``).

    Raises:
        ValueError: a constant spectrum (local) or constant data (global): nothing to scale.
    """

    def __init__(self, scope: str = "global", feature_range: tuple[float, float] = (0.0, 1.0)):
        self.scope = scope
        self.feature_range = feature_range

    def _check_scope(self) -> None:
        if self.scope not in ("local", "global"):
            raise ValueError(f"scope must be 'local' or 'global', got {self.scope!r}")

    def fit(self, X: ArrayLike, y=None):
        self._check_scope()
        if self.scope == "global":
            values = _values(X)
            self.data_min_, self.data_max_ = float(values.min()), float(values.max())
            if self.data_max_ == self.data_min_:
                raise ValueError("global min-max normalisation of constant data")
        return self

    def transform(self, X: ArrayLike) -> ArrayLike:
        self._check_scope()
        values = _values(X)
        a, b = self.feature_range
        if self.scope == "global":
            check_is_fitted(self, ("data_min_", "data_max_"))
            lo, hi = self.data_min_, self.data_max_
        else:
            lo = values.min(axis=-1, keepdims=True)
            hi = values.max(axis=-1, keepdims=True)
            flat = np.flatnonzero(hi == lo)
            if flat.size:
                raise ValueError(f"local min-max normalisation of a constant spectrum "
                                 f"(row {int(flat[0])})")
        return _with_values(X, (values - lo) / (hi - lo) * (b - a) + a)


class Decimate(_Stateless):
    """Keep every ``factor``-th spectral point starting at point ``offset``:
    ``out = X[..., offset::factor]``.

    No filtering: points are picked, as PRCpy's ``sample`` with ``sample_rate=factor``
    (``rc_df[::factor]``, i.e. offset 0).
    """

    def __init__(self, factor: int = 16, offset: int = 0):
        self.factor = factor
        self.offset = offset

    def transform(self, X: ArrayLike) -> ArrayLike:
        if int(self.factor) < 1 or int(self.offset) < 0:
            raise ValueError(f"factor must be >= 1 and offset >= 0, got {self.factor}, "
                             f"{self.offset}")
        return _select(X, slice(int(self.offset), None, int(self.factor)))


class ScaleChannels(TransformerMixin, BaseEstimator):
    """Divide each channel by its largest magnitude over the fitted steps,
    :func:`nanomag.readout.channel_scale` (the readout's channel scaling); ``scale_``."""

    def fit(self, X: ArrayLike, y=None):
        values = _values(X)
        self.scale_ = channel_scale(values.reshape(-1, values.shape[-1]))
        return self

    def transform(self, X: ArrayLike) -> ArrayLike:
        check_is_fitted(self, "scale_")
        return _with_values(X, _values(X) / self.scale_)


class PruneCorrelated(TransformerMixin, BaseEstimator):
    """Drop channels correlated above ``threshold`` with an earlier kept one over the fitted
    steps, :func:`nanomag.readout.prune_correlated` (the readout's pruning); ``mask_``."""

    def __init__(self, threshold: float = 0.999):
        self.threshold = threshold

    def fit(self, X: ArrayLike, y=None):
        self.mask_ = prune_correlated(_values(X), self.threshold)
        return self

    def transform(self, X: ArrayLike) -> ArrayLike:
        check_is_fitted(self, "mask_")
        return _select(X, np.flatnonzero(self.mask_))


def prcpy_pipeline(
    background: ArrayLike | None = None,
    *,
    smooth: tuple[int, int] | None = (51, 4),
    cut: tuple[float | None, float | None] | None = None,
    normalise: str | None = "global",
    decimate: int | None = 16,
) -> Pipeline:
    """The preprocessing chain of PRCpy's tutorials, in PRCpy's order of operations.

    background subtraction -> Savitzky-Golay (``smooth = (window, order)``) -> range cut
    (``cut = (low, high)`` in axis units) -> min-max normalisation (``"local"`` or
    ``"global"``) -> decimation by ``decimate``.  A step given as None is left out.  The
    defaults are the tutorials' settings (window 51, order 4, global min-max, decimation by
    16); ``prcpy_pipeline(bg).fit_transform(spectra)`` gives the numbers of PRCpy's
    ``Prepare.process_data`` with those options.
    """
    steps = []
    if background is not None:
        steps.append(("background", SubtractBackground(background)))
    if smooth is not None:
        steps.append(("smooth", SavitzkyGolay(*smooth)))
    if cut is not None:
        steps.append(("cut", RangeCut(*cut)))
    if normalise is not None:
        steps.append(("normalise", MinMaxNormalise(normalise)))
    if decimate is not None:
        steps.append(("decimate", Decimate(decimate)))
    if not steps:
        raise ValueError("prcpy_pipeline: every step is switched off")
    return Pipeline(steps)
