"""Information processing capacity against reservoirs whose capacities are known."""

import numpy as np
import pytest

from nanomag.information_capacity import information_processing_capacity, legendre_basis
from nanomag.substrates import EchoStateNetwork

RNG = np.random.default_rng(0)
U = RNG.uniform(-1, 1, 6000)


def delayed(u, k):
    return np.concatenate([np.zeros(k), u[: u.size - k]])


def test_basis_counts_every_monomial_once():
    # monomials of total degree 1..3 in 4 variables: C(4 + 3, 3) - 1
    basis = legendre_basis(3, 3)
    assert len(basis) == 34
    assert len(set(basis)) == 34
    assert ((0, 1),) in basis and ((0, 1), (2, 2)) in basis


def test_delay_line_has_only_linear_capacity_equal_to_its_length():
    states = np.stack([delayed(U, k) for k in range(5)], axis=1)
    ipc = information_processing_capacity(states, U, max_degree=3, max_delay=8)
    np.testing.assert_allclose(ipc.by_degree, [5.0, 0.0, 0.0], atol=0.02)
    linear = {f: c for f, c in zip(ipc.basis, ipc.capacity) if len(f) == 1 and f[0][1] == 1}
    for k in range(5):
        assert linear[((k, 1),)] == pytest.approx(1.0, abs=1e-9)
    assert linear[((6, 1),)] == 0.0


def test_quadratic_reservoir_has_degree_two_capacity():
    p2 = 0.5 * (3 * U**2 - 1)  # Legendre P2 of the present input
    states = np.stack([p2, U * delayed(U, 1)], axis=1)
    ipc = information_processing_capacity(states, U, max_degree=3, max_delay=4)
    np.testing.assert_allclose(ipc.by_degree, [0.0, 2.0, 0.0], atol=0.02)
    assert ipc.total == pytest.approx(ipc.rank, abs=0.02)


def test_capacity_is_bounded_by_the_number_of_state_variables():
    esn = EchoStateNetwork(n_units=20, spectral_radius=0.9, input_scaling=0.5,
                           connectivity=0.3, seed=1)
    states = esn.fit_transform(U[:4000])
    ipc = information_processing_capacity(states, U[:4000], max_degree=3, max_delay=12)
    assert ipc.rank == 20
    assert 0.5 * ipc.rank < ipc.total <= 1.05 * ipc.rank
    # tanh without bias is odd: odd degrees only (cubic capacity, no quadratic capacity)
    assert ipc.by_degree[2] > 0.1
    assert ipc.by_degree[1] < 0.02


def test_states_unrelated_to_the_input_have_no_capacity():
    noise = np.random.default_rng(5).normal(size=(U.size, 10))
    ipc = information_processing_capacity(noise, U, max_degree=2, max_delay=10)
    assert ipc.total < 0.05


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"inputs": 2 * U}, r"\[-1, 1\]"),
        ({"states": np.zeros((30, 20))}, "too short"),
        ({"washout": 2}, "washout"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"states": np.stack([U, U**2], 1), "inputs": U}
    args.update(kwargs)
    if args["states"].shape[0] != args["inputs"].shape[0]:
        args["inputs"] = args["inputs"][: args["states"].shape[0]]
    with pytest.raises(ValueError, match=match):
        information_processing_capacity(args["states"], args["inputs"], max_delay=5,
                                        washout=kwargs.get("washout"))
