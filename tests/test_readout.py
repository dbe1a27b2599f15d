import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge

from nanomag.readout import RidgeClassifierReadout, RidgeReadout, prune_correlated


def _data(n=400, p=12, m=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 5, p) + rng.normal(size=p) * 3
    W = rng.normal(size=(p, m))
    return X, X @ W + 0.1 * rng.normal(size=(n, m)) + 2.0


@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("alpha", [1e-4, 0.1, 10.0])
def test_matches_sklearn_ridge(fit_intercept, alpha):
    X, Y = _data()
    ours = RidgeReadout(alphas=alpha, fit_intercept=fit_intercept, scale_channels=False).fit(X, Y)
    ref = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, Y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-9, atol=1e-9)


def test_scaled_channels_equal_ridge_on_scaled_data():
    X, Y = _data()
    ours = RidgeReadout(alphas=0.05, scale_channels=True).fit(X, Y[:, 0])
    scale = np.max(np.abs(X), axis=0)
    ref = Ridge(alpha=0.05, fit_intercept=False).fit(X / scale, Y[:, 0])
    np.testing.assert_allclose(ours.coef_ * scale, ref.coef_, rtol=1e-8)
    assert ours.coef_.shape == (X.shape[1],)


def test_washout_rows_are_ignored():
    X, Y = _data()
    a = RidgeReadout(alphas=1.0, washout=50, scale_channels=False).fit(X, Y)
    b = RidgeReadout(alphas=1.0, scale_channels=False).fit(X[50:], Y[50:])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-12)
    assert a.predict(X).shape == Y.shape


def test_validation_picks_alpha_by_forward_chaining():
    # Independent reference: explicit forward-chaining loop with sklearn Ridge.
    X, Y = _data(n=330, p=30, m=2, seed=3)
    Y = Y + np.random.default_rng(9).normal(size=Y.shape) * 5
    alphas = (1e-3, 1.0, 100.0, 1e4)
    ours = RidgeReadout(alphas=alphas, n_splits=4, fit_intercept=True, scale_channels=False).fit(X, Y)
    bounds = np.linspace(0, len(X), 6).astype(int)
    errs = []
    for a in alphas:
        e = [np.mean((Ridge(alpha=a).fit(X[:bounds[k]], Y[:bounds[k]]).predict(X[bounds[k]:bounds[k + 1]])
                      - Y[bounds[k]:bounds[k + 1]]) ** 2) for k in range(1, 5)]
        errs.append(np.mean(e))
    assert ours.alpha_ == alphas[int(np.argmin(errs))]
    np.testing.assert_allclose(ours.cv_errors_.mean(axis=1), errs, rtol=1e-8)


def test_alpha_per_target_and_single_alpha_equivalence():
    X, Y = _data(m=2)
    r = RidgeReadout(alphas=(0.01, 1.0), alpha_per_target=True, n_splits=3).fit(X, Y)
    assert r.alpha_.shape == (2,)
    for j in range(2):
        single = RidgeReadout(alphas=r.alpha_[j]).fit(X, Y[:, j])
        np.testing.assert_allclose(r.coef_[j], single.coef_, rtol=1e-10)


def test_correlation_pruning_drops_duplicate_channels():
    rng = np.random.default_rng(1)
    base = rng.normal(size=(200, 4))
    X = np.column_stack([base, 2 * base[:, 1] + 1e-6 * rng.normal(size=200), -base[:, 2]])
    keep = prune_correlated(X, 0.99)
    np.testing.assert_array_equal(keep, [True, True, True, True, False, False])
    r = RidgeReadout(alphas=0.1, prune_correlation=0.99).fit(X, base @ [1.0, 2.0, 3.0, 4.0])
    assert np.all(r.coef_[4:] == 0)


def test_classifier_separates_classes_and_matches_ovr_ridge():
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 3, 300)
    X = rng.normal(size=(300, 5)) + 3 * np.eye(5)[labels]
    clf = RidgeClassifierReadout(alphas=1.0, scale_channels=False, fit_intercept=True).fit(X, labels)
    Y = -np.ones((300, 3))
    Y[np.arange(300), labels] = 1
    ref = Ridge(alpha=1.0).fit(X, Y)
    np.testing.assert_allclose(clf.decision_function(X), ref.predict(X), rtol=1e-8, atol=1e-10)
    assert clf.score(X, labels) > 0.9
    assert set(clf.predict(X)) <= {0, 1, 2}


def test_clone_and_params():
    r = RidgeReadout(alphas=(0.1, 1.0), prune_correlation=0.95, washout=10)
    c = clone(r)
    assert c.get_params() == r.get_params()
    c.set_params(washout=3)
    assert c.washout == 3 and r.washout == 10


@pytest.mark.parametrize(
    "kwargs, X, y, word",
    [
        ({}, np.ones((30, 2)), np.ones(29), "rows"),
        ({}, np.full((30, 2), np.nan), np.ones(30), "X"),
        ({"washout": 25}, np.ones((30, 2)), np.ones(30), "washout"),
        ({"alphas": -1.0}, np.ones((30, 2)), np.ones(30), "alphas"),
        ({}, np.ones(30), np.ones(30), "X"),
    ],
)
def test_bad_input(kwargs, X, y, word):
    with pytest.raises(ValueError, match=word):
        RidgeReadout(**kwargs).fit(X, y)


def test_one_blas_thread_limits_blas_inside_and_restores_it_after():
    from threadpoolctl import threadpool_info

    from nanomag._threads import one_blas_thread

    def blas_threads():
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    before = blas_threads()
    inside = one_blas_thread(blas_threads)()
    assert inside and set(inside) == {1}
    assert blas_threads() == before
