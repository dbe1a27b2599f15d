"""The HTML report: sections chosen from what a result holds, figures and tables that show the
result's own numbers, a page that needs nothing but itself, and the ``report`` command."""

import base64
import io
from html.parser import HTMLParser

import numpy as np
import pytest
import xarray as xr
from matplotlib.colors import to_hex
from matplotlib.image import imread
from report_results import SNAPSHOTS, experiment_result, loop_result, sweep_result
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.energy import PHYSICAL_SCENARIOS, esn_step_energy
from nanomag.engine.analysis import along, coercive_fields
from nanomag.report import build_report, write_report
from nanomag.report.figures import (
    STATE_COLOURS,
    bar_polygons,
    bar_states,
    microstate_figure,
)
from nanomag.report.sections import loop_direction, microstate_section, sweep_metrics
from nanomag.store import save

runner = CliRunner()


class Page(HTMLParser):
    """The parts of a report page the tests read: headings, tables (rows of cell texts),
    image sources and every tag used."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.headings, self.tables, self.images, self.tags = [], [], [], set()
        self._heading = self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        if tag in ("h2", "h3"):
            self._heading = ""
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("h2", "h3") and self._heading is not None:
            self.headings.append(self._heading)
            self._heading = None
        elif tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell += data

    def table(self, first_cell: str) -> list[list[str]]:
        """The table whose header row starts with ``first_cell``."""
        return next(t for t in self.tables if t and t[0][0] == first_cell)

    def image_array(self, i: int) -> np.ndarray:
        uri = self.images[i]["src"]
        return imread(io.BytesIO(base64.b64decode(uri.removeprefix("data:image/png;base64,"))))


@pytest.fixture(scope="module")
def experiment():
    return experiment_result()


@pytest.fixture(scope="module")
def experiment_page(experiment):
    return Page(build_report([("experiment.zarr", experiment)]))


def test_bar_polygons_are_the_bars_rectangles():
    x, y = np.array([100.0, -50.0, 0.0]), np.array([0.0, 20.0, 0.0])
    angle = np.array([0.0, np.pi / 2, 0.7])
    length, width = np.array([600.0, 600.0, 400.0]), np.array([200.0, 125.0, 100.0])
    corners = bar_polygons(x, y, angle, length, width)
    assert corners.shape == (3, 4, 2)
    # a horizontal bar spans x +- L/2, y +- W/2; a vertical one the other way round
    np.testing.assert_allclose(np.sort(corners[0, :, 0]), [-200, -200, 400, 400])
    np.testing.assert_allclose(np.sort(corners[0, :, 1]), [-100, -100, 100, 100])
    np.testing.assert_allclose(np.sort(corners[1, :, 0]), [-112.5, -112.5, 12.5, 12.5])
    np.testing.assert_allclose(np.sort(corners[1, :, 1]), [-280, -280, 320, 320])
    # any angle: centred on the bar, area L * W (shoelace), long side along the axis
    np.testing.assert_allclose(corners.mean(axis=1), np.stack([x, y], axis=1), atol=1e-9)
    px, py = corners[..., 0], corners[..., 1]
    area = 0.5 * np.abs(np.sum(px * np.roll(py, -1, 1) - py * np.roll(px, -1, 1), axis=1))
    np.testing.assert_allclose(area, length * width)
    side = corners[2, 0] - corners[2, 3]
    np.testing.assert_allclose(side / np.linalg.norm(side), [np.cos(0.7), np.sin(0.7)])


def test_bars_are_coloured_by_spin_and_vortex():
    spins = np.array([[1, -1, 1, -1]])
    vortices = np.array([[False, False, True, False]])
    assert bar_states(spins[0], vortices[0]).tolist() == [1, 0, 2, 0]
    polygons = bar_polygons([0, 1000, 2000, 3000], 0, 0, 600, 200)
    fig = microstate_figure(polygons, spins, vortices, ["t"])
    fig.canvas.draw()
    colours = fig.axes[0].collections[0].get_facecolors()[:, :3]
    expected = [STATE_COLOURS[i] for i in (1, 0, 2, 0)]
    assert [to_hex(c) for c in colours] == expected


def test_microstate_of_many_bars_is_one_collection():
    rng = np.random.default_rng(0)
    n = 20_000
    polygons = bar_polygons(rng.uniform(0, 1e5, n), rng.uniform(0, 1e5, n),
                            rng.choice([0, np.pi / 2], n), 600, 200)
    fig = microstate_figure(polygons, rng.choice([-1, 1], (1, n)), rng.random((1, n)) < 0.1,
                            ["t"])
    assert len(fig.axes[0].collections) == 1
    assert len(fig.axes[0].collections[0].get_paths()) == n


def test_experiment_report_shows_every_section(experiment_page, experiment):
    page = experiment_page
    assert page.headings == ["experiment.zarr", "Set-up", "Microstate", "Drive",
                             "Observed spectra", "Prediction against target", "Metrics",
                             "Energy per input"]
    assert len(page.images) == 4
    for i in range(len(page.images)):
        assert page.image_array(i).shape[1] > 500
    # the configuration appears as dotted keys
    config = dict(map(tuple, page.table("configuration key")[1:]))
    assert config["substrate.size"] == "[3, 3]"
    # the microstate table counts the stored snapshot's states
    counts = page.table("input step")
    for row, step in zip(counts[1:], SNAPSHOTS):
        spin = experiment["spin"].sel(snapshot=step).values
        vortex = experiment["vortex"].sel(snapshot=step).values
        assert row == [str(step), str(int((spin[~vortex] > 0).sum())),
                       str(int((spin[~vortex] < 0).sum())), str(int(vortex.sum()))]


def test_metric_table_sets_the_reservoir_next_to_the_linear_baseline(experiment_page,
                                                                     experiment):
    rows = experiment_page.table("")
    assert rows[0] == ["", "reservoir", "linear", "reservoir / linear"]
    nmse = experiment["nmse"]
    for row, task in zip(rows[1:], nmse["task"].values):
        ours, base = nmse.sel(task=task, system="reservoir"), nmse.sel(task=task, system="linear")
        assert row == [f"task {task}", f"{float(ours):.4g}", f"{float(base):.4g}",
                       f"{float(ours / base):.4g}"]


def test_energy_table_totals_are_the_scenario_sums(experiment_page, experiment):
    rows = experiment_page.table("term (J)")
    assert rows[0] == ["term (J)", *PHYSICAL_SCENARIOS]
    total = rows[-1]
    assert total[0] == "total"
    for j, scenario in enumerate(PHYSICAL_SCENARIOS, start=1):
        expected = sum(float(experiment["energy"].sel(scenario=scenario, term=t))
                       for t in PHYSICAL_SCENARIOS[scenario])
        assert total[j] == f"{expected:.4g}"
    flip = next(r for r in rows if r[0] == "flip")
    landauer = next(r for r in rows if r[0] == "landauer_floor")
    assert len(set(flip[1:])) == 1  # the medium's work counts in every scenario
    assert landauer[1:] == ["\u2014"] * 3  # reported, in no total


def test_energy_breakdown_dataset_gives_the_same_table():
    breakdown = esn_step_energy(100, 1000, 1, 1)
    page = Page(build_report([("esn.nc", breakdown.to_dataset())]))
    assert "Metrics" not in page.headings and "Other variables" not in page.headings
    rows = page.table("term (J)")
    assert rows[0][1:] == ["per input", *breakdown.scenarios]
    assert [r[1] for r in rows[1:-1]] == [f"{v:.4g}" for v in breakdown.terms.values()]
    assert rows[-1][2:] == [f"{breakdown.total(s):.4g}" for s in breakdown.scenarios]


def test_energy_attributes_of_a_demo_result_split_terms_from_totals():
    breakdown = esn_step_energy(100, 1000, 1, 1)
    attrs = {f"energy_{k}_J": v for k, v in breakdown.to_dict().items()}
    page = Page(build_report([("demo.zarr", xr.Dataset(attrs=attrs))]))
    terms = page.table("term")
    assert [r[0] for r in terms[1:]] == list(breakdown.terms)
    totals = page.table("scenario")
    assert totals[1:] == [[s, f"{breakdown.total(s):.4g}"] for s in breakdown.scenarios]


def test_page_is_self_contained(experiment_page):
    page = experiment_page
    assert not page.tags & {"script", "link", "iframe", "object", "embed"}
    assert all(img["src"].startswith("data:image/png;base64,") for img in page.images)


def test_missing_sections_are_skipped_and_unknown_variables_listed():
    ds = xr.Dataset({"mystery": (("a",), np.arange(3.0), {"units": "V", "long_name": "hm"}),
                     "trace": (("step",), np.arange(5.0))})
    page = Page(build_report([("odd.nc", ds)]))
    assert page.headings == ["odd.nc", "Set-up", "Metrics", "Other variables"]
    assert page.images == []
    assert page.table("")[1:] == [["a 0", "0"], ["a 1", "1"], ["a 2", "2"]]
    assert page.table("variable")[1:] == [["trace", "step = 5", "", ""]]
    empty = Page(build_report([("empty.zarr", xr.Dataset())]))
    assert empty.headings == ["empty.zarr", "Set-up"]
    assert empty.images == []


def test_partial_experiment_result_keeps_what_it_can_show(experiment):
    partial = experiment.drop_vars(["bar_width", "target", "frequency"])
    page = Page(build_report([("partial.zarr", partial)]))
    assert page.headings == ["partial.zarr", "Set-up", "Drive", "Observations",
                             "Metrics", "Energy per input", "Other variables"]
    listed = [row[0] for row in page.table("variable")[1:]]
    assert listed == ["prediction", "bar_x", "bar_y", "bar_angle", "bar_length", "spin",
                      "vortex"]


def test_chosen_steps_draw_those_snapshots(experiment):
    section = microstate_section(experiment, steps=[119, 0])
    page = Page("".join(section.blocks))
    assert [row[0] for row in page.table("input step")[1:]] == ["119", "0"]
    with pytest.raises(ValueError, match=r"e: steps \[5\] have no recorded microstate.*0, 60"):
        build_report([("e", experiment)], steps=[5])


def test_loop_report_reads_the_loop_direction_and_coercive_fields():
    ds = loop_result()
    assert loop_direction(ds["field"].values) == pytest.approx(30.0)  # the protocol's angle
    page = Page(build_report([("loop.zarr", ds)]))
    assert "Hysteresis loop" in page.headings and len(page.images) == 1
    rows = dict(map(tuple, page.table("quantity")[1:]))
    hc = coercive_fields(along(ds["field"].values, 30.0), along(ds["magnetization"].values, 30.0))
    assert rows["coercive field, descending (mT)"] == f"{hc.descending * 1e3:.4g}"
    assert rows["total flips"] == str(int(ds["flips"].sum()))


def test_sweep_report_draws_heat_maps_of_each_point(tmp_path):
    ds, grid = sweep_result(tmp_path)
    metrics = sweep_metrics(ds)
    assert list(metrics) == ["coercive field (mT)", "total flips"]
    flips = metrics["total flips"][""]
    assert flips.dims == ("engine.disorder", "protocol.h_max")
    for disorder in grid["engine.disorder"]:
        for h_max in grid["protocol.h_max"]:
            expected = int(ds["flips"].sel({"engine.disorder": disorder,
                                            "protocol.h_max": h_max}).sum())
            assert int(flips.sel({"engine.disorder": disorder, "protocol.h_max": h_max})) \
                == expected
    # every bar reverses twice in a saturating loop of 24 bars, and not at 20 mT
    assert int(flips.sel({"protocol.h_max": 0.08}).min()) == 48
    page = Page(build_report([("combined.nc", ds)]))
    assert "Sweep" in page.headings and "Hysteresis loop" not in page.headings
    assert len(page.images) == 3  # descending and ascending coercive field, flips
    one = Page(build_report([("one.nc", ds.isel({"engine.disorder": 0}, drop=True)
                                      .assign_attrs(sweep_grid='{"protocol.h_max": [1, 2, 3]}'))]))
    assert len(one.images) == 2 + 1  # coercive fields, flips, and the loops


def test_comparison_result_tables_put_the_linear_baseline_beside_the_systems():
    rng = np.random.default_rng(1)
    systems, horizons, targets = ["MS", "WM", "WM|PW"], [1, 2, 3], ["cos", "sin2"]
    ds = xr.Dataset(
        {"mackey_glass": (("system", "horizon", "repeat"), rng.random((3, 3, 2))),
         "mackey_glass_linear": (("horizon", "repeat"), rng.random((3, 2))),
         "memory_capacity": (("system", "repeat"), rng.random((3, 2))),
         "nonlinearity": (("system", "repeat"), rng.random((3, 2))),
         "sine": (("system", "target", "repeat"), rng.random((3, 2, 2)))},
        coords={"system": systems, "kind": ("system", ["array", "array", "network"]),
                "horizon": horizons, "repeat": [0, 1], "target": targets},
        attrs={"n_inputs": 150})
    page = Page(build_report([("compare.zarr", ds)]))
    assert page.headings[2:4] == ["Comparison of arrays and networks", "Metrics"]
    assert len(page.images) == 1
    mg = next(t for t in page.tables if t[0][-1] == "linear on raw input")
    assert mg[0] == ["", *systems, "linear on raw input"]
    for row, k in zip(mg[1:], horizons):
        assert row[0] == f"t+{k}"
        ms = ds["mackey_glass"].sel(system="MS", horizon=k)
        assert row[1] == f"{float(ms.mean()):.4g} \u00b1 {float(ms.std()):.2g}"
        base = ds["mackey_glass_linear"].sel(horizon=k)
        assert row[-1] == f"{float(base.mean()):.4g} \u00b1 {float(base.std()):.2g}"


def test_several_results_share_a_metric_table(experiment):
    experiment = experiment[["nmse", "target"]]
    other = experiment.copy()
    other["nmse"] = experiment["nmse"] * 2
    page = Page(build_report([("a.zarr", experiment), ("b.zarr", other)]))
    assert page.headings[:3] == ["Metrics side by side", "a.zarr", "Set-up"]
    side = page.tables[0]
    assert side[0] == ["", "a.zarr", "b.zarr"]
    assert len(side) == 1 + experiment["nmse"].size
    for row in side[1:]:
        assert float(row[2]) == pytest.approx(2 * float(row[1]), rel=1e-3)


def test_report_command_writes_once_and_names_bad_results(tmp_path, experiment):
    result = save(experiment, tmp_path / "experiment.zarr")
    out = tmp_path / "report.html"
    ok = runner.invoke(app, ["report", str(result), "--out", str(out), "--step", "60"])
    assert ok.exit_code == 0, ok.output
    assert "report.html" in ok.output
    assert [r[0] for r in Page(out.read_text()).table("input step")[1:]] == ["60"]
    again = runner.invoke(app, ["report", str(result), "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.zarr"), "--out",
                                  str(tmp_path / "r2.html")])
    assert missing.exit_code == 2 and "nope.zarr" in missing.output
    assert not (tmp_path / "r2.html").exists()
    bad_step = runner.invoke(app, ["report", str(result), "--out", str(tmp_path / "r3.html"),
                                   "--step", "7"])
    assert bad_step.exit_code == 2 and "steps [7]" in bad_step.output


def test_write_report_never_replaces_without_overwrite(tmp_path, experiment):
    result = save(experiment, tmp_path / "e.nc")
    out = tmp_path / "r.html"
    out.write_text("kept")
    with pytest.raises(FileExistsError):
        write_report([result], out)
    assert out.read_text() == "kept"
    write_report([result], out, overwrite=True)
    assert out.read_text().startswith("<!DOCTYPE html>")
