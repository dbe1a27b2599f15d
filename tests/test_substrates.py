import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from nanomag.metrics import kernel_rank
from nanomag.readout import RidgeReadout
from nanomag.substrates import EchoStateNetwork, MemristorReservoir, SpinTorqueOscillator, Substrate

SUBSTRATES = [
    lambda: EchoStateNetwork(n_units=20, connectivity=0.3, bias_scaling=0.2, leak_rate=0.7, seed=1),
    lambda: MemristorReservoir(n_reservoirs=3, mask_length=4, seed=1),
    lambda: SpinTorqueOscillator(n_virtual=8, seed=1),
]


@pytest.fixture(params=range(len(SUBSTRATES)), ids=["esn", "memristor", "sto"])
def substrate(request) -> Substrate:
    return SUBSTRATES[request.param]()


def test_interface_state_and_continuity(substrate):
    u = np.random.default_rng(0).uniform(-1, 1, 40)
    whole = substrate.reset().drive(u)
    assert whole.shape == (40, substrate.n_channels) == (40, len(substrate.channel_names))
    end = substrate.state
    substrate.reset()
    parts = np.vstack([substrate.drive(u[:15]), substrate.step(u[15]), substrate.drive(u[16:])])
    np.testing.assert_allclose(parts, whole, rtol=1e-12)
    # the explicit-state run neither needs nor changes the kept state
    obs, final = substrate.run(u)
    np.testing.assert_allclose(obs, whole, rtol=1e-12)
    np.testing.assert_allclose(final, end, rtol=1e-12)
    substrate.set_state(final)
    np.testing.assert_allclose(substrate.state, end)
    np.testing.assert_allclose(substrate.transform(u), whole, rtol=1e-12)


def test_seeded_and_clonable(substrate):
    u = np.linspace(-1, 1, 25)
    twin = clone(substrate)
    assert twin.get_params() == substrate.get_params()
    np.testing.assert_array_equal(twin.fit().transform(u), substrate.fit().transform(u))
    other = clone(substrate).set_params(seed=2)
    assert not np.allclose(other.fit().transform(u), substrate.transform(u))


def test_pipeline_with_readout(substrate):
    u = np.random.default_rng(3).uniform(-1, 1, 300)
    y = np.roll(u, 1)
    pipe = Pipeline([("res", substrate), ("ro", RidgeReadout(washout=20, n_splits=3))]).fit(u, y)
    assert pipe.predict(u).shape == (300,)


def test_energy_terms_are_positive(substrate):
    substrate.drive(np.zeros(5) + 0.3)
    terms = substrate.energy_per_step()
    assert terms and all(v > 0 for v in terms.values())


@pytest.mark.parametrize("bad, word", [(np.ones((5, 2)), "inputs"), (np.array([0.1, np.nan]), "inputs"),
                                       (np.zeros(0), "inputs")])
def test_bad_inputs(substrate, bad, word):
    with pytest.raises(ValueError, match=word):
        substrate.drive(bad)
    with pytest.raises(ValueError, match="state"):
        substrate.set_state(np.zeros(substrate.state.size + 1))


def test_esn_matches_numpy_recurrence():
    esn = EchoStateNetwork(n_units=15, connectivity=0.4, spectral_radius=0.8, leak_rate=0.6,
                           bias_scaling=0.5, input_scaling=0.7, n_inputs=2, seed=4).reset()
    W = esn.w_.toarray()
    assert np.max(np.abs(np.linalg.eigvals(W))) == pytest.approx(0.8, rel=1e-10)
    assert np.all(np.abs(esn.w_in_) <= 0.7) and np.all(np.abs(esn.bias_) <= 0.5)
    u = np.random.default_rng(1).normal(size=(30, 2))
    x = np.zeros(15)
    want = []
    for t in range(30):
        x = 0.4 * x + 0.6 * np.tanh(esn.w_in_ @ u[t] + esn.bias_ + W @ x)
        want.append(x)
    np.testing.assert_allclose(esn.drive(u), want, rtol=1e-12, atol=1e-14)
    n_mac = esn.w_.nnz + 15 * 2
    assert esn.energy_per_step() == pytest.approx({"mac": n_mac * 4.6e-12,
                                                   "memory": (n_mac + 15) * 10e-12})


def test_esn_kernel_rank_is_full():
    esn = EchoStateNetwork(n_units=12, connectivity=0.5, seed=0)
    assert kernel_rank(esn.transform, 20, 30, seed=1) == 12


def test_memristor_matches_model_equations():
    mem = MemristorReservoir(n_reservoirs=2, mask_length=3, seed=5).reset()
    u = np.random.default_rng(2).uniform(-1, 1, 12)
    s = (u[:, None] * mem.mask_[0]).reshape(12, 2, 3)
    V = -0.8 + (s + 1) * 3.3 / 2
    G = np.full(2, 0.5)
    want = np.empty((12, 6))
    for t in range(12):
        for j in range(3):
            v = V[t, :, j]
            rate = 0.23 * np.abs(v) / (0.23 * np.abs(v) + 1)
            G = 0.99 * G + 0.01 * 0.5 + rate * ((v > 0) - G)
            want[t, j::3] = G * (9.13 * np.maximum(v, 0) ** 3 + 0.32 * np.minimum(v, 0) ** 3)
    np.testing.assert_allclose(mem.drive(u), want, rtol=1e-12)
    np.testing.assert_allclose(mem.state, G, rtol=1e-12)


def test_memristor_relaxes_geometrically_at_zero_volts():
    # V = 0: u(0) = 0, so G_n = G0 + r^n (G_start - G0) and I = 0
    mem = MemristorReservoir(n_reservoirs=1, mask_length=2, v_min=-1.0, v_max=1.0, seed=0)
    mem.reset().set_state([0.9])
    obs = mem.drive(np.zeros(10))
    assert np.all(obs == 0)
    assert mem.state[0] == pytest.approx(0.5 + 0.99**20 * 0.4, rel=1e-12)


def test_sto_follows_logistic_solution():
    # at constant current the power equation is logistic:
    # p(t) = p_inf / (1 + (p_inf / p_start - 1) exp(-2 (sigma I - Gamma) t))
    sto = SpinTorqueOscillator(n_virtual=10, theta=20e-9, n_substeps=20, seed=0).reset()
    p_inf = sto.stationary_power(sto.bias_current)
    assert p_inf == pytest.approx((1.5 - 1) / (1.5 + 2))
    np.testing.assert_allclose(sto.drive(np.zeros(3)), p_inf, rtol=1e-12)
    sto.set_state([0.01])
    obs = sto.drive(np.zeros(2)).ravel()
    t = 20e-9 * np.arange(1, 21)
    growth = 2 * (1e7 * 1.5 - 1e7)
    want = p_inf / (1 + (p_inf / 0.01 - 1) * np.exp(-growth * t))
    np.testing.assert_allclose(obs, want, rtol=1e-8)
    assert sto.energy_per_step()["joule"] == pytest.approx(40 * 6e-3**2 * 10 * 20e-9)


def test_sto_rejects_subthreshold_bias():
    with pytest.raises(ValueError, match="bias_current"):
        SpinTorqueOscillator(bias_current=1e-3).reset()
