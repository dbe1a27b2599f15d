"""The report of the results the commands write: an experiment run by the runner (``nanomag
run``) and a measured-data run (``nanomag measured``), each section present with the result's
own numbers and non-empty figures."""

import base64
import io

import numpy as np
import pytest
from matplotlib.image import imread
from report_results import measured_result, run_result
from test_report import Page

from nanomag.report import build_report
from nanomag.report.html import format_number
from nanomag.report.sections import result_sections


@pytest.fixture(scope="module")
def run():
    return run_result()


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    return measured_result(tmp_path_factory.mktemp("measured") / "scans")


def _figures(section) -> list[np.ndarray]:
    """The section's embedded PNGs as image arrays."""
    page = Page("".join(section.blocks))
    return [imread(io.BytesIO(base64.b64decode(img["src"].split(",", 1)[1])), format="png")
            for img in page.images]


def _sections(ds):
    return {s.title: s for s in result_sections(ds)}


def test_run_result_has_every_section_and_no_leftover_variable(run):
    sections = _sections(run)
    assert list(sections) == ["Set-up", "Microstate", "Drive", "Observed spectra",
                              "Prediction against target", "Metrics", "Energy per input"]
    for title in ("Microstate", "Drive", "Observed spectra", "Prediction against target"):
        images = _figures(sections[title])
        assert len(images) == 1 and min(images[0].shape[:2]) > 100, title


def test_run_energy_table_shows_terms_scenarios_and_totals(run):
    rows = Page("".join(_sections(run)["Energy per input"].blocks)).tables[0]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    scenarios = [str(s) for s in run["scenario"].values]
    assert header == ["term (J)", "per input", *scenarios]
    assert [r[0] for r in body] == [str(t) for t in run["term"].values]
    for row, term in zip(body, run["term"].values):
        value = float(run["energy"].sel(term=term))
        assert row[1] == format_number(value)
        for cell, scenario in zip(row[2:], scenarios):
            counted = bool(run["included"].sel(scenario=scenario, term=term))
            assert cell == (format_number(value) if counted else "\u2014")
    # the totals row is the sum of the counted terms, which the runner stored separately
    assert total[2:] == [format_number(float(run["energy_total"].sel(scenario=s)))
                         for s in scenarios]


def test_run_drive_draws_input_and_field_on_their_own_axes(run):
    """Input (150 steps) and field (300 field steps) each span their own panel: the field
    is drawn against input steps (two field steps per input) and in detail."""
    drive = _sections(run)["Drive"]
    assert drive.variables == {"input", "field"}
    (image,) = _figures(drive)
    # three panels stacked: the figure is taller than the two-panel drive of the same width
    height, width = image.shape[:2]
    assert width > 800 and height > 0.7 * width


def test_measured_result_has_spectra_prediction_errors_and_chance(measured):
    sections = _sections(measured)
    assert list(sections) == ["Set-up", "Observed spectra", "Prediction against target",
                              "Errors", "Memory capacity and nonlinearity"]
    for title in ("Observed spectra", "Prediction against target"):
        images = _figures(sections[title])
        assert len(images) == 1 and min(images[0].shape[:2]) > 100, title
    assert sections["Observed spectra"].variables == {"spectra", "input"}


def test_measured_errors_table_holds_every_protocol_and_split(measured):
    (rows,) = Page("".join(_sections(measured)["Errors"].blocks)).tables
    header = rows[0]
    assert header[:2] == ["task", "tau"]
    for row, task in zip(rows[1:], measured["task"].values):
        assert row[0] == str(task) and row[1] == str(int(measured["tau"].sel(task=task)))
        for protocol in ("prcpy", "nanomag"):
            for split in ("train", "test"):
                column = header.index(f"{protocol} {split}")
                expected = float(measured["mse"].sel(task=task, protocol=protocol, split=split))
                assert row[column] == format_number(expected)
        for split in ("train", "test"):
            column = header.index(f"linear baseline {split}")
            assert row[column] == format_number(
                float(measured["baseline_mse"].sel(task=task, split=split)))


def test_measured_chance_table_is_the_shuffled_distribution(measured):
    (rows,) = Page("".join(_sections(measured)["Memory capacity and nonlinearity"].blocks)
                   ).tables
    assert [r[0] for r in rows[1:]] == ["memory capacity", "nonlinearity"]
    for row, name in zip(rows[1:], ("memory_capacity", "nonlinearity")):
        null = measured[f"{name}_shuffled"].values
        value = float(measured[name])
        assert row[1:5] == [format_number(v) for v in (value, null.mean(), null.std(),
                                                       np.percentile(null, 5))]
        assert row[-2] == format_number(float(np.mean(null >= value)))
        assert row[-1] == str(null.size)


def test_both_results_on_one_page(run, measured):
    page = Page(build_report([("run.zarr", run), ("measured.zarr", measured)]))
    assert page.headings.count("Prediction against target") == 2
    assert "Other variables" not in page.headings


def test_setup_lists_each_task_key(run):
    rows = Page("".join(_sections(run)["Set-up"].blocks)).table("configuration key")
    keys = {r[0]: r[1] for r in rows[1:]}
    assert keys["tasks.0.name"] == "mackey_glass" and keys["tasks.0.horizons"] == "[1, 3]"
    assert "tasks" not in keys
