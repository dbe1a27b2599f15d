"""Numba kernels of the engine over flat numpy arrays.  No model objects here: only arrays in,
arrays out, so that another backend (GPU) can provide the same functions."""
