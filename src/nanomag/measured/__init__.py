"""Measured data: reading recorded spectra, preprocessing them, writing them back."""

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

__all__ = [
    "MeasuredDataError",
    "list_step_files",
    "parse_file_name",
    "read_background",
    "read_folder",
    "read_hdf5",
    "read_matrix",
    "read_store",
]
