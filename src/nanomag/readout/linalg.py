"""Ridge regression through one eigendecomposition of the Gram matrix.

For a (centred) design ``X`` (n, p) and targets ``Y`` (n, m), the ridge solution for
strength ``alpha`` is ``W = (X^T X + alpha I)^{-1} X^T Y``.  Writing ``X^T X = V diag(s) V^T``
once gives ``W(alpha) = V diag(1 / (s + alpha)) V^T X^T Y`` for every alpha and every
target column at the cost of a (p, p) matrix product each.

The readout's matrices are small (a few hundred channels at most); its steps run on one BLAS
thread (:func:`nanomag._threads.one_blas_thread`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve


@dataclass(frozen=True)
class RidgeFactor:
    """Eigendecomposition of a Gram matrix with the projected cross-moments.

    Attributes:
        eigvals: (p,) eigenvalues of ``X^T X`` (clipped at 0).
        eigvecs: (p, p) orthonormal eigenvectors (columns).
        projected_xty: (p, m) ``V^T X^T Y``.
    """

    eigvals: np.ndarray
    eigvecs: np.ndarray
    projected_xty: np.ndarray

    def coefficients(self, alphas: np.ndarray) -> np.ndarray:
        """Ridge weights for each alpha: array (n_alphas, p, m)."""
        alphas = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
        inv = 1.0 / (self.eigvals[None, :] + alphas[:, None])  # (a, p)
        return np.einsum("ij,aj,jm->aim", self.eigvecs, inv, self.projected_xty, optimize=True)

    def predict_all(self, X: np.ndarray, alphas: np.ndarray) -> np.ndarray:
        """Predictions ``X W(alpha)`` for each alpha: array (n_alphas, n, m)."""
        alphas = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
        inv = 1.0 / (self.eigvals[None, :] + alphas[:, None])
        xv = X @ self.eigvecs  # (n, p)
        return np.einsum("np,ap,pm->anm", xv, inv, self.projected_xty, optimize=True)


def factorize(gram: np.ndarray, xty: np.ndarray) -> RidgeFactor:
    """Factorise ``gram`` = X^T X (p, p) once; ``xty`` = X^T Y (p, m)."""
    eigvals, eigvecs = np.linalg.eigh(gram)
    return RidgeFactor(np.clip(eigvals, 0.0, None), eigvecs, eigvecs.T @ xty)


def centered_moments(
    X: np.ndarray, Y: np.ndarray, fit_intercept: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gram and cross-moment of ``X`` (n, p) and ``Y`` (n, m), centred when ``fit_intercept``.

    Returns ``(gram, xty, x_mean, y_mean)``; the means are zeros without an intercept.
    """
    if fit_intercept:
        x_mean = X.mean(axis=0)
        y_mean = Y.mean(axis=0)
        Xc = X - x_mean
        Yc = Y - y_mean
    else:
        x_mean = np.zeros(X.shape[1])
        y_mean = np.zeros(Y.shape[1])
        Xc, Yc = X, Y
    return Xc.T @ Xc, Xc.T @ Yc, x_mean, y_mean


def ridge_weights(gram: np.ndarray, xty: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge weights (p, m) for one ``alpha``: one Cholesky factorisation of
    ``gram + alpha I`` shared by all m target columns (eigendecomposition if singular)."""
    try:
        factor = cho_factor(gram + alpha * np.eye(gram.shape[0]), check_finite=False)
    except LinAlgError:
        return factorize(gram, xty).coefficients(np.array([alpha]))[0]
    return cho_solve(factor, xty, check_finite=False)
