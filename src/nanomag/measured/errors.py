"""The error raised for measured data that cannot be read."""


class MeasuredDataError(ValueError):
    """Measured data that cannot be read; the message names the file (line, column)."""
