"""How a folder of measured per-step spectra is read and preprocessed: the ``[reading]`` and
``[preprocessing]`` sections shared by ``nanomag measured`` configurations
(:mod:`nanomag.measured.config`) and ``type = "measured"`` substrates of experiment
configurations (:mod:`nanomag.config.substrates`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from nanomag.config.base import StrictModel, field

__all__ = ["PreprocessingConfig", "ReadingConfig"]


class ReadingConfig(StrictModel):
    """How to read the folder (see :func:`nanomag.measured.read_folder`).

    ``inputs``: ``"file_names"`` (the applied field parsed from each file name, T) or a
    ``.npy`` / ``.csv`` / ``.txt`` file holding the input of each step.  Relative file
    names are resolved against the data folder.
    """

    prefix: str = field("scan", "", "only files whose name starts with this are read")
    x: str = field("Frequency", "", "header of the axis column (frequency in GHz or field "
                   "in mT)")
    y: str = field("Spectra", "", "header of the value column")
    delimiter: str | None = field(None, "", "column delimiter (None: detected)")
    background: str | None = field(None, "", "background spectrum file subtracted from every "
                                   "step (None: none)")
    inputs: str = field("file_names", "", '"file_names" (the field in each file name) or a '
                        "file with the input of each step")


class PreprocessingConfig(StrictModel):
    """The preprocessing chain, in PRCpy's order: background subtraction (when
    ``reading.background`` is set), Savitzky-Golay smoothing, range cut (``cut = [low,
    high]`` in axis units: Hz or T), min-max normalisation, decimation (1 keeps every point).
    Defaults are PRCpy's tutorial settings."""

    smooth: bool = field(True, "", "Savitzky-Golay smoothing")
    smooth_window: int = field(51, "points", "smoothing window length", ge=3)
    smooth_order: int = field(4, "", "smoothing polynomial order", ge=0)
    cut: Annotated[list[float], Field(min_length=2, max_length=2)] | None = field(
        None, "Hz or T", "keep the axis range [low, high] (None: all)")
    normalise: Literal["global", "local", "none"] = field(
        "global", "", "min-max scaling over all steps, per step, or none")
    decimate: int = field(16, "", "keep every n-th axis point (1: all)", ge=1)
