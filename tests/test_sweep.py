"""Sweeps: every point computed once, resume computes only missing points, combined layout."""

import json
import os

import numpy as np
import pytest
import xarray as xr

from nanomag import sweep
from nanomag.config import SweepConfig
from nanomag.progress import reporting
from nanomag.store import load
from nanomag.sweep import SweepError, combine, grid_points, point_key, point_path, run_sweep

pytest.importorskip("distributed")


def counting(log_path):
    """A task returning ``y = a * 10 + len(b)`` over t = 0..2, logging each call."""

    def task(a, b):
        with open(log_path, "a") as fh:
            fh.write(json.dumps([a, b]) + "\n")
        t = np.arange(3)
        return xr.Dataset({"y": (("t",), a * 10 + len(b) + 0.0 * t)}, coords={"t": t},
                          attrs={"label": "demo"})

    return task


def calls(log_path):
    return sorted(tuple(json.loads(line)) for line in log_path.read_text().splitlines())


def test_grid_points_and_keys():
    pts = grid_points({"a": [1, 2], "b": ["x", "y", "z"]})
    assert len(pts) == 6 and pts[0] == {"a": 1, "b": "x"} and pts[-1] == {"a": 2, "b": "z"}
    assert point_key({"a": 1, "b": "x"}) == point_key({"b": "x", "a": 1})
    assert point_key({"a": 1}) == point_key({"a": np.int64(1)})
    assert len({point_key(p) for p in pts}) == 6
    with pytest.raises(ValueError, match="grid"):
        grid_points({})
    with pytest.raises(ValueError, match="'a'"):
        grid_points({"a": []})
    with pytest.raises(ValueError, match="repeated"):
        grid_points({"a": [1, 1]})


def test_sweep_combines_points_on_the_grid(tmp_path, client):
    log = tmp_path / "calls.log"
    out = tmp_path / "sweep"
    grid = {"a": [2, 1, 3], "b": ["xy", "x"]}
    ds = run_sweep(counting(log), grid, out, client=client)
    assert ds["y"].dims == ("a", "b", "t")
    assert list(ds["a"].values) == [1, 2, 3] and list(ds["b"].values) == ["x", "xy"]
    for a in (1, 2, 3):
        for b in ("x", "xy"):
            np.testing.assert_array_equal(ds["y"].sel(a=a, b=b), a * 10 + len(b))
    assert ds.attrs["label"] == "demo"
    assert json.loads(ds.attrs["sweep_grid"]) == grid
    assert len(calls(log)) == 6
    assert sorted(p.name for p in out.iterdir()) == sorted(
        point_path(out, p).name for p in grid_points(grid)
    )
    assert json.loads(load(point_path(out, {"a": 3, "b": "x"})).attrs["sweep_point"]) == {
        "a": 3, "b": "x"}


def test_resume_computes_only_missing_points(tmp_path, client):
    log = tmp_path / "calls.log"
    out = tmp_path / "sweep"
    run_sweep(counting(log), {"a": [1, 2], "b": ["x"]}, out, client=client)
    assert calls(log) == [(1, "x"), (2, "x")]
    log.unlink()
    full = run_sweep(counting(log), {"a": [1, 2, 3], "b": ["x", "yy"]}, out, client=client)
    assert calls(log) == [(1, "yy"), (2, "yy"), (3, "x"), (3, "yy")]
    assert full.sizes == {"a": 3, "b": 2, "t": 3}
    np.testing.assert_array_equal(full["y"].sel(t=0), [[11, 12], [21, 22], [31, 32]])


def test_failed_points_are_reported_and_retried(tmp_path, client):
    log = tmp_path / "calls.log"
    out = tmp_path / "sweep"
    good = counting(log)

    def flaky(a, b):
        if a == 2:
            raise RuntimeError("worker lost")
        return good(a, b)

    grid = {"a": [1, 2, 3], "b": ["x"]}
    with pytest.raises(SweepError, match="1 of 3 point.*worker lost"):
        run_sweep(flaky, grid, out, client=client)
    assert calls(log) == [(1, "x"), (3, "x")]
    log.unlink()
    ds = run_sweep(good, grid, out, client=client)
    assert calls(log) == [(2, "x")]
    np.testing.assert_array_equal(ds["y"].sel(t=1, b="x"), [11, 21, 31])


def test_config_change_in_the_same_directory_is_refused(tmp_path, client):
    out = tmp_path / "sweep"
    task = counting(tmp_path / "calls.log")
    ds = run_sweep(task, {"a": [1], "b": ["x"]}, out, client=client, config={"h_max": 0.04})
    assert json.loads(ds.attrs["config"]) == {"h_max": 0.04}
    with pytest.raises(SweepError, match="different configuration"):
        run_sweep(task, {"a": [1], "b": ["x"]}, out, client=client, config={"h_max": 0.05})
    (out / "sweep-config.json").write_text("{broken")
    with pytest.raises(SweepError, match="sweep-config.json is unreadable"):
        run_sweep(task, {"a": [1], "b": ["x"]}, out, client=client, config={"h_max": 0.04})


def test_combine_detects_a_foreign_point_file(tmp_path, client):
    out = tmp_path / "sweep"
    run_sweep(counting(tmp_path / "calls.log"), {"a": [1, 2], "b": ["x"]}, out, client=client)
    one, two = point_path(out, {"a": 1, "b": "x"}), point_path(out, {"a": 2, "b": "x"})
    one.unlink()
    two.rename(one)
    with pytest.raises(SweepError, match="expected"):
        combine(out, {"a": [1], "b": ["x"]})


def test_spin_ice_sweep_from_a_config(tmp_path, client):
    cfg = SweepConfig.model_validate({
        "base": {"lattice": {"name": "square", "params": {"size": [2, 2]}},
                 "engine": {"hc": 0.02},
                 "protocol": {"h_max": 0.05, "n_steps": 20, "angle_deg": 0.0}},
        "grid": {"protocol.angle_deg": [0.0, 90.0]},
    })
    ds = run_sweep(cfg.run_point, cfg.grid, tmp_path / "s", client=client, config=cfg)
    assert ds["magnetization"].dims == ("protocol.angle_deg", "step", "component")
    # the square ice is symmetric under x <-> y: the loop at 90 deg is the one at 0 deg with
    # the components swapped
    m0 = ds["magnetization"].sel({"protocol.angle_deg": 0.0}).values
    m90 = ds["magnetization"].sel({"protocol.angle_deg": 90.0}).values
    assert m0[:, 0].min() < 0 < m0[:, 0].max()  # the loop does reverse
    np.testing.assert_allclose(m90[:, ::-1], m0, atol=1e-12)


def test_default_local_cluster_with_worker_processes(tmp_path):
    cfg = SweepConfig.model_validate({
        "base": {"lattice": {"name": "square", "params": {"size": [2, 2]}},
                 "protocol": {"h_max": 0.05, "n_steps": 8}},
        "grid": {"engine.hc": [0.01, 0.02]},
    })
    ds = run_sweep(cfg.run_point, cfg.grid, tmp_path / "s", n_workers=1)
    assert ds["flips"].dims == ("engine.hc", "step")
    # a loop to 0.05 T at 45 deg reverses every bar of both, twice: 2 flips per bar
    np.testing.assert_array_equal(ds["flips"].sum("step"), [24, 24])


def test_progress_counts_computed_and_reused_points(tmp_path, client):
    out = tmp_path / "sweep"
    task = counting(tmp_path / "calls.log")
    run_sweep(task, {"a": [1, 2], "b": ["x"]}, out, client=client)
    reports = []
    with reporting(lambda *r: reports.append(r)):
        ds = run_sweep(task, {"a": [1, 2, 3], "b": ["x", "y"]}, out, client=client)
    assert reports == [("sweep points", done, 6) for done in range(2, 7)]
    assert (ds.attrs["sweep_computed"], ds.attrs["sweep_reused"]) == (4, 2)
    with reporting(lambda *r: reports.append(r)):
        ds = run_sweep(task, {"a": [1, 2, 3], "b": ["x", "y"]}, out, client=client)
    assert (ds.attrs["sweep_computed"], ds.attrs["sweep_reused"]) == (0, 6)
    assert len(reports) == 5  # nothing to compute, nothing reported


def test_points_are_stored_by_the_client_when_workers_cannot_see_out_dir(tmp_path, client,
                                                                         monkeypatch):
    monkeypatch.setattr(sweep, "_lock_holder", lambda path: {})  # the lock is out of sight
    out = tmp_path / "sweep"
    ds = run_sweep(counting(tmp_path / "calls.log"), {"a": [1, 2], "b": ["x"]}, out,
                   client=client)
    np.testing.assert_array_equal(ds["y"].sel(b="x", t=0), [11, 21])
    assert json.loads(load(point_path(out, {"a": 2, "b": "x"})).attrs["sweep_point"]) == {
        "a": 2, "b": "x"}


def test_a_damaged_point_is_named_with_the_way_out(tmp_path, client):
    out = tmp_path / "sweep"
    grid = {"a": [1, 2], "b": ["x"]}
    run_sweep(counting(tmp_path / "calls.log"), grid, out, client=client)
    damaged = point_path(out, {"a": 2, "b": "x"})
    damaged.write_bytes(damaged.read_bytes()[:-100])
    with pytest.raises(SweepError, match=f"{damaged.name}.*rerun the sweep"):
        run_sweep(counting(tmp_path / "calls.log"), grid, out, client=client)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"n_workers": 0}, "n_workers must be a positive integer, got 0"),
        ({"n_workers": -1}, "n_workers"),
        ({"n_workers": 1.5}, "n_workers"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"connect_timeout": float("inf")}, "connect_timeout"),
        ({"lock_timeout": -1}, "lock_timeout"),
        ({"lock_timeout": float("nan")}, "lock_timeout"),
    ],
)
def test_bad_options_are_refused_before_anything_runs(tmp_path, option, message):
    with pytest.raises(ValueError, match=message):
        run_sweep(counting(tmp_path / "calls.log"), {"a": [1]}, tmp_path / "s", **option)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_scheduler_fails_in_time_leaving_nothing(tmp_path):
    out = tmp_path / "sweep"
    for before in (None, "user notes"):
        if before is not None:
            out.mkdir()
            (out / "notes.txt").write_text(before)
        with pytest.raises(SweepError, match=r"cannot reach the Dask scheduler at "
                                             r"'tcp://127.0.0.1:1' within 0.5 s"):
            run_sweep(counting(tmp_path / "calls.log"), {"a": [1]}, out, config={"k": 1},
                      scheduler_address="tcp://127.0.0.1:1", connect_timeout=0.5)
        assert sorted(os.listdir(tmp_path)) == ([] if before is None else ["sweep"])
    assert os.listdir(out) == ["notes.txt"]
