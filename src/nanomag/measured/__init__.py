"""Measured data: reading recorded spectra, preprocessing them, writing them back."""

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
    "MeasuredDataError",
    "MinMaxNormalise",
    "PruneCorrelated",
    "RangeCut",
    "SavitzkyGolay",
    "ScaleChannels",
    "SubtractBackground",
    "list_step_files",
    "parse_file_name",
    "prcpy_pipeline",
    "read_background",
    "read_folder",
    "read_hdf5",
    "read_matrix",
    "read_store",
    "step_file_name",
    "write_folder",
]
