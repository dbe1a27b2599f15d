"""Linear readouts for reservoir observations: ridge regression and one-vs-rest classification.

The estimators follow scikit-learn conventions; the shared linear algebra (one symmetric
eigendecomposition serving every target and every regularisation strength) lives in
:mod:`nanomag.readout.linalg` for callers that need it directly (metrics, custom protocols).
"""

from nanomag.readout.features import channel_scale, prune_correlated
from nanomag.readout.linalg import RidgeFactor, centered_moments, factorize, ridge_weights
from nanomag.readout.ridge import RidgeClassifierReadout, RidgeReadout

__all__ = [
    "RidgeClassifierReadout",
    "RidgeFactor",
    "RidgeReadout",
    "centered_moments",
    "channel_scale",
    "factorize",
    "prune_correlated",
    "ridge_weights",
]
