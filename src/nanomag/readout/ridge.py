"""Ridge readout estimators with time-ordered choice of the regularisation strength.

Validation is forward chaining: after the washout the fit rows are cut into
``n_splits + 1`` contiguous blocks; fold ``k`` (1..n_splits) trains on blocks ``0..k-1`` and
scores the mean squared error on block ``k``.  No row is shuffled, so no fold sees the
future of its validation block.  The alpha with the lowest fold-averaged MSE (averaged over
targets unless ``alpha_per_target``) is refitted on all rows.  Each fold costs one
eigendecomposition of a (p, p) Gram matrix shared by all targets and all alphas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from nanomag._threads import one_blas_thread
from nanomag._validate import as_float_array, finite_result, flag, positive, positive_int
from nanomag.readout.features import channel_scale, prune_correlated
from nanomag.readout.linalg import centered_moments, factorize


def _validated_alphas(alphas: Sequence[float] | float) -> np.ndarray:
    arr = np.atleast_1d(as_float_array(alphas, "alphas"))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"alphas must be a non-empty 1-D sequence, got {alphas!r}")
    if np.any(arr < 0):
        raise ValueError(f"alphas must be finite and >= 0, got {alphas!r}")
    return arr


def _forward_chaining_errors(
    X: np.ndarray, Y: np.ndarray, alphas: np.ndarray, n_splits: int, fit_intercept: bool
) -> np.ndarray:
    """Validation MSE (n_alphas, m) averaged over forward-chaining folds.

    Block Gram matrices are accumulated so every row enters one product.  With an intercept,
    X and Y are first shifted by their overall means (which leaves centred fits unchanged)
    to keep the running centring well conditioned.
    """
    if fit_intercept:
        X = X - X.mean(axis=0)
        Y = Y - Y.mean(axis=0)
    bounds = np.linspace(0, X.shape[0], n_splits + 2).astype(np.int64)
    p, m = X.shape[1], Y.shape[1]
    gram = np.zeros((p, p))
    xty = np.zeros((p, m))
    sx = np.zeros(p)
    sy = np.zeros(m)
    errors = np.zeros((alphas.size, m))
    for k in range(n_splits + 1):
        lo, hi = bounds[k], bounds[k + 1]
        if k > 0:
            g, c = gram, xty
            mx, my = np.zeros(p), np.zeros(m)
            if fit_intercept:
                mx, my = sx / lo, sy / lo
                g = gram - lo * np.outer(mx, mx)
                c = xty - lo * np.outer(mx, my)
            pred = factorize(g, c).predict_all(X[lo:hi] - mx, alphas) + my  # (a, nv, m)
            errors += np.mean((pred - Y[lo:hi][None]) ** 2, axis=1)
        gram += X[lo:hi].T @ X[lo:hi]
        xty += X[lo:hi].T @ Y[lo:hi]
        sx += X[lo:hi].sum(axis=0)
        sy += Y[lo:hi].sum(axis=0)
    # a fold whose Gram matrix is singular gives no finite error at alpha = 0: never choose it
    errors = errors / n_splits
    return np.where(np.isfinite(errors), errors, np.inf)


def _singular(eigvals: np.ndarray) -> bool:
    """True when a Gram matrix with these eigenvalues is singular to working precision."""
    return bool(eigvals.min() <= eigvals.size * np.finfo(np.float64).eps * max(eigvals.max(), 0))


class _RidgeBase(BaseEstimator):
    """Shared fitting machinery; targets are a 2-D float array internally."""

    def __init__(
        self,
        alphas: Sequence[float] | float = (1e-4, 1e-3, 1e-2, 5e-2, 0.1),
        fit_intercept: bool = False,
        scale_channels: bool = True,
        prune_correlation: float | None = None,
        n_splits: int = 10,
        washout: int = 0,
        alpha_per_target: bool = False,
    ) -> None:
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scale_channels = scale_channels
        self.prune_correlation = prune_correlation
        self.n_splits = n_splits
        self.washout = washout
        self.alpha_per_target = alpha_per_target

    @one_blas_thread
    def _fit_matrix(self, X: np.ndarray, Y: np.ndarray) -> None:
        alphas = _validated_alphas(self.alphas)
        for name in ("fit_intercept", "scale_channels", "alpha_per_target"):
            flag(getattr(self, name), name)
        washout = positive_int(self.washout, "washout", allow_zero=True)
        n_splits = positive_int(self.n_splits, "n_splits")
        if Y.shape[0] != X.shape[0]:
            raise ValueError(f"y has {Y.shape[0]} rows but X has {X.shape[0]}")
        if Y.shape[1] == 0:
            raise ValueError(f"y has no target columns (shape {Y.shape}): nothing to fit")
        if X.shape[1] == 0:
            raise ValueError(f"X has no channels (shape {X.shape}): nothing to fit on")
        n_fit = X.shape[0] - washout
        need = 2 * (n_splits + 1) if alphas.size > 1 else 1
        if n_fit < need:
            raise ValueError(
                f"X has {X.shape[0]} rows: too short for washout={washout} "
                f"(needs at least {washout + need} rows with n_splits={n_splits})"
            )
        X, Y = X[washout:], Y[washout:]
        # the weights are linear in y: fit y / y_scale (no overflow for any finite y) and scale
        # the coefficients back; one factor for all targets keeps the alpha choice unchanged
        y_scale = float(np.max(np.abs(Y), initial=0.0)) or 1.0
        Y = Y / y_scale
        self.n_features_in_ = X.shape[1]
        scale = channel_scale(X) if self.scale_channels else np.ones(X.shape[1])
        Xs = X / scale
        if self.prune_correlation is None:
            support = np.ones(X.shape[1], dtype=bool)
        else:
            threshold = positive(self.prune_correlation, "prune_correlation")
            support = prune_correlated(Xs, threshold)
        Xk = Xs[:, support]
        with np.errstate(over="ignore", invalid="ignore"):  # refused just below
            gram, xty, x_mean, y_mean = centered_moments(Xk, Y, self.fit_intercept)
        finite_result(gram, "X^T X", "X is too large; use scale_channels=True")
        if alphas.size > 1:
            errors = _forward_chaining_errors(Xk, Y, alphas, n_splits, self.fit_intercept)
            if not np.any(np.isfinite(errors)):
                raise ValueError(f"alphas={self.alphas!r}: no alpha gives a finite validation "
                                 "error (singular folds at alpha = 0); use alphas > 0")
            if self.alpha_per_target:
                best = np.argmin(errors, axis=0)
            else:
                best = np.full(Y.shape[1], np.argmin(errors.mean(axis=1)))
            with np.errstate(over="ignore", invalid="ignore"):  # a diagnostic, in y's units
                self.cv_errors_ = errors * np.float64(y_scale) ** 2
        else:
            best = np.zeros(Y.shape[1], dtype=np.int64)
            self.cv_errors_ = None
        factor = factorize(gram, xty)
        used = np.unique(best)
        if np.any(alphas[used] == 0) and _singular(factor.eigvals):
            raise ValueError(
                f"alphas={self.alphas!r}: alpha = 0 needs linearly independent channels, but X "
                f"has a constant or repeated channel (singular Gram matrix); use alphas > 0"
            )
        weights = factor.coefficients(alphas[used])  # (u, p_kept, m)
        pick = np.searchsorted(used, best)
        w_kept = weights[pick, :, np.arange(Y.shape[1])]  # (m, p_kept)
        coef = np.zeros((Y.shape[1], X.shape[1]))
        with np.errstate(over="ignore", invalid="ignore"):  # refused just below
            coef[:, support] = w_kept / scale[support] * y_scale
        finite_result(coef, "coef_", f"X has channels as small as {scale.min():.3g} (rescale "
                      f"X) or alphas={self.alphas!r} are too small for nearly dependent channels")
        self.coef_ = coef
        self.intercept_ = (y_mean - w_kept @ x_mean) * y_scale
        chosen = alphas[best]
        self.alpha_ = chosen if self.alpha_per_target else float(chosen[0])
        self.support_ = support
        self.channel_scale_ = scale

    def _decision(self, X) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = as_float_array(X, "X", (None, self.n_features_in_))
        with np.errstate(over="ignore", invalid="ignore"):  # refused just below
            out = X @ self.coef_.T + self.intercept_
        finite_result(out, "the prediction", "X is too large for the fitted coefficients")
        return out


class RidgeReadout(RegressorMixin, _RidgeBase):
    """Ridge regression readout (multi-target) with time-ordered alpha selection.

    Args:
        alphas: candidate regularisation strengths (one value disables validation); 0 only
            for linearly independent channels (refused on a singular Gram matrix).
        fit_intercept: fit an unpenalised intercept (X and y centred on the fit rows).
        scale_channels: divide each channel by its max |value| over the fit rows.
        prune_correlation: drop channels whose |Pearson correlation| with an earlier kept
            channel exceeds this threshold (``None``: keep all).
        n_splits: number of forward-chaining validation folds.
        washout: leading rows ignored by ``fit`` (``predict`` returns every row).
        alpha_per_target: choose alpha separately for each target column.

    Fitted attributes: ``coef_`` ((p,) or (m, p), in the units of the input channels, zeros
    for pruned channels), ``intercept_``, ``alpha_``, ``cv_errors_`` ((n_alphas, m) validation
    MSE or ``None``), ``support_`` (kept channels), ``channel_scale_``.
    """

    def fit(self, X, y) -> RidgeReadout:
        """Fit on observations ``X`` (n, p) and targets ``y`` (n,) or (n, m)."""
        X = as_float_array(X, "X", (None, None))
        y = as_float_array(y, "y")
        if y.ndim not in (1, 2):
            raise ValueError(f"y must be 1-D or 2-D, got shape {y.shape}")
        self._single_target = y.ndim == 1
        self._fit_matrix(X, y.reshape(y.shape[0], -1))
        if self._single_target:
            self.coef_ = self.coef_[0]
            self.intercept_ = float(self.intercept_[0])
        return self

    def predict(self, X) -> np.ndarray:
        """Predicted targets for every row of ``X``: (n,) or (n, m)."""
        return self._decision(X)


class RidgeClassifierReadout(ClassifierMixin, _RidgeBase):
    """One-vs-rest ridge classifier: each class is a +1/-1 target, the largest output wins.

    Takes the same arguments as :class:`RidgeReadout`; alpha is selected on the MSE of the
    +1/-1 codes.  Fitted attributes as there, plus ``classes_``.
    """

    def fit(self, X, y) -> RidgeClassifierReadout:
        """Fit on observations ``X`` (n, p) and class labels ``y`` (n,)."""
        X = as_float_array(X, "X", (None, None))
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D class labels, got shape {y.shape}")
        self.classes_, codes = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError("y must contain at least two classes")
        Y = -np.ones((y.shape[0], self.classes_.size))
        Y[np.arange(y.shape[0]), codes] = 1.0
        self._fit_matrix(X, Y)
        return self

    def decision_function(self, X) -> np.ndarray:
        """One-vs-rest scores (n, n_classes)."""
        return self._decision(X)

    def predict(self, X) -> np.ndarray:
        """Class label with the largest score for every row of ``X``."""
        return self.classes_[np.argmax(self._decision(X), axis=1)]
