"""Measured data: reading recorded spectra, preprocessing them, writing them back, and scoring
them with PRCpy's protocol beside nanomag's (``run_measured``)."""

from nanomag.measured.config import MeasuredConfig, load_measured_config
from nanomag.measured.experiment import run_measured
from nanomag.measured.preprocessing import (
    Decimate,
    MinMaxNormalise,
    PruneCorrelated,
    RangeCut,
    SavitzkyGolay,
    ScaleChannels,
    SubtractBackground,
    prcpy_pipeline,
)
from nanomag.measured.protocols import (
    linear_baseline,
    nanomag_protocol,
    prcpy_protocol,
    prcpy_wave,
)
from nanomag.measured.reading import (
    MeasuredDataError,
    list_step_files,
    parse_file_name,
    read_background,
    read_folder,
    read_hdf5,
    read_matrix,
    read_store,
)
from nanomag.measured.writing import step_file_name, write_folder

__all__ = [
    "Decimate",
    "MeasuredConfig",
    "MeasuredDataError",
    "MinMaxNormalise",
    "PruneCorrelated",
    "RangeCut",
    "SavitzkyGolay",
    "ScaleChannels",
    "SubtractBackground",
    "linear_baseline",
    "list_step_files",
    "load_measured_config",
    "nanomag_protocol",
    "parse_file_name",
    "prcpy_pipeline",
    "prcpy_protocol",
    "prcpy_wave",
    "read_background",
    "read_folder",
    "read_hdf5",
    "read_matrix",
    "read_store",
    "run_measured",
    "step_file_name",
    "write_folder",
]
