"""Which sections a result gets, chosen from the variables it holds.

Each ``*_section`` function takes a result Dataset and returns a :class:`Section`, or None
when the result lacks what the section shows.  :func:`result_sections` runs them all and
lists the variables no section showed.  Known layouts: experiment results (``input``,
``field``, ``observation``, ``prediction``, ``target``, ``nmse``, ``energy``, bar geometry and
``spin`` / ``vortex`` snapshots), the demo's forecast, hysteresis loops (``field``,
``magnetization``, ``flips``), the array comparison and combined sweeps (``sweep_grid``).
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from nanomag.engine.analysis import along, coercive_fields
from nanomag.figures import save_comparison_figure
from nanomag.report import figures
from nanomag.report.html import (
    Section,
    figure,
    image,
    paragraph,
    table,
)
from nanomag.report.measured import measured_sections
from nanomag.store import CONFIG_ATTR, stored_config
from nanomag.sweep import GRID_ATTR

GEOMETRY = ("bar_x", "bar_y", "bar_angle", "bar_length", "bar_width")
#: Dimensions along which a variable is a series or a field of values, not a metric.
SERIES_DIMS = {"step", "time", "bar", "channel", "snapshot", "recorded_step", "component",
               "axis", "shuffle"}
#: Largest variable shown as a metric table.
MAX_TABLE_SIZE = 400
#: Snapshots drawn when no steps are chosen.
DEFAULT_SNAPSHOTS = 4
#: Variables the energy section shows (never metric tables).
ENERGY_VARIABLES = ("energy", "included", "total", "energy_total")
COMPARISON_VARIABLES = ("memory_capacity", "nonlinearity", "mackey_glass", "mackey_glass_linear",
                        "sine")


def result_sections(ds: xr.Dataset, steps: Sequence[int] | None = None) -> list[Section]:
    """Every section ``ds`` has data for, in reading order, then a table of the variables
    none of them showed.  ``steps``: input steps whose microstate to draw (default: up to
    :data:`DEFAULT_SNAPSHOTS` of those recorded)."""
    measured = measured_sections(ds)
    found = [setup_section(ds), microstate_section(ds, steps), drive_section(ds),
             spectra_section(ds), spectra_section(ds, "spectra"), *measured,
             prediction_section(ds), comparison_section(ds),
             metrics_section(ds, set().union(*(s.variables for s in measured))),
             energy_section(ds), loop_section(ds), sweep_section(ds)]
    sections = [s for s in found if s is not None]
    shown = set().union(*(s.variables for s in sections))
    other = unknown_section(ds, shown)
    return sections + ([other] if other is not None else [])


# ---------------------------------------------------------------------------- helpers
def label(da: xr.DataArray) -> str:
    """A variable's long name (or name) with its units (none for dimensionless "1")."""
    name = da.attrs.get("long_name", da.name)
    units = da.attrs.get("units")
    return f"{name} ({units})" if units and units != "1" else str(name)


def _has(ds: xr.Dataset, *names: str) -> bool:
    return all(name in ds.data_vars for name in names)


def _swept(ds: xr.Dataset) -> list[str]:
    grid = json.loads(ds.attrs.get(GRID_ATTR, "{}"))
    return [name for name in grid if name in ds.dims]


def _saved_figure(save, ds: xr.Dataset, caption: str) -> str:
    """Embed a figure drawn by one of :mod:`nanomag.figures`' ``save_*`` functions."""
    with tempfile.TemporaryDirectory() as folder:
        path = save(ds, Path(folder) / "figure.png")
        return image(path.read_bytes(), caption)


def positions(da: xr.DataArray, dims: Sequence[str]) -> list[dict[str, int]]:
    """Every index combination of ``dims`` of ``da``, as ``isel`` mappings."""
    return [dict(zip(dims, key)) for key in itertools.product(*(range(da.sizes[d]) for d in dims))]


def value_cell(da: xr.DataArray) -> object:
    """A 0-D value, or ``mean ± sd`` over a ``repeat`` dimension."""
    if "repeat" in da.dims and da.sizes["repeat"] > 1:
        return f"{float(da.mean('repeat')):.4g} ± {float(da.std('repeat')):.2g}"
    value = da.squeeze().values
    return value.item() if value.ndim == 0 else str(value)


# ---------------------------------------------------------------------------- sections
def setup_section(ds: xr.Dataset) -> Section:
    """Attributes (energy attributes are left to the energy section), dimensions, the stored
    configuration as dotted keys, and a sweep's grid."""
    section = Section("Set-up")
    attrs = [(key, _attribute(value)) for key, value in ds.attrs.items()
             if key not in (CONFIG_ATTR, GRID_ATTR) and not key.startswith("energy_")]
    if attrs:
        section.blocks.append(table(("attribute", "value"), attrs))
    sizes = ", ".join(f"{dim} = {n}" for dim, n in ds.sizes.items())
    section.blocks.append(paragraph(f"dimensions: {sizes or 'none'}", note=True))
    if CONFIG_ATTR in ds.attrs:
        try:
            rows = flat_items(stored_config(ds))
        except json.JSONDecodeError:
            rows = [("config", ds.attrs[CONFIG_ATTR])]
        section.blocks.append(table(("configuration key", "value"), rows))
    if GRID_ATTR in ds.attrs:
        grid = json.loads(ds.attrs[GRID_ATTR])
        section.blocks.append(table(("swept parameter", "values"),
                                    [(k, ", ".join(map(str, v))) for k, v in grid.items()]))
    return section


def flat_items(config: object, prefix: str = "") -> list[tuple[str, object]]:
    """A nested mapping as (dotted key, value) rows; a list of tables (e.g. ``tasks``) is
    numbered (``tasks.0.name``); other lists and scalars are values."""
    if isinstance(config, list) and config and all(isinstance(v, dict) for v in config):
        config = {str(i): value for i, value in enumerate(config)}
    if not isinstance(config, dict):
        return [(prefix or "config", _attribute(config))]
    rows = []
    for key, value in config.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        nested = (isinstance(value, dict) and value) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value))
        rows.extend(flat_items(value, name) if nested else [(name, _attribute(value))])
    return rows


def _attribute(value: object, limit: int = 200) -> object:
    """Numbers as they are (the table formats them); anything else as text, shortened."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return value.item() if isinstance(value, np.generic) else value
    text = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def microstate_section(ds: xr.Dataset, steps: Sequence[int] | None = None) -> Section | None:
    """Bars coloured by state (spin along the bar axis, vortex) at chosen input steps."""
    if not _has(ds, "spin", *GEOMETRY) or ds["spin"].ndim != 2 or _swept(ds):
        return None
    spin = ds["spin"]
    dim = spin.dims[0]
    recorded = ds[dim].values if dim in ds.coords else np.arange(spin.shape[0])
    index = _snapshot_index(recorded, steps)
    vortex = ds["vortex"].values[index] if "vortex" in ds.data_vars else None
    spins = spin.values[index]
    polygons = figures.bar_polygons(*(ds[name].values for name in GEOMETRY))
    titles = [f"after input {recorded[i]}" for i in index]
    rows = []
    for k, i in enumerate(index):
        n_vortex = int(vortex[k].sum()) if vortex is not None else 0
        macrospin = spins[k] if vortex is None else spins[k][~vortex[k].astype(bool)]
        rows.append((int(recorded[i]), int((macrospin > 0).sum()), int((macrospin < 0).sum()),
                     n_vortex))
    return Section("Microstate", [
        figure(figures.microstate_figure(polygons, spins, vortex, titles),
               f"Microstate of the {spin.shape[1]} bars after the chosen inputs: macrospin "
               "along (+1) or against (-1) each bar's axis, vortex bars in a third colour."),
        table(("input step", "spin +1", "spin -1", "vortex"), rows),
    ], {"spin", "vortex", *GEOMETRY})


def _snapshot_index(recorded: np.ndarray, steps: Sequence[int] | None) -> list[int]:
    if steps is None:
        n = len(recorded)
        return sorted(set(np.linspace(0, n - 1, min(n, DEFAULT_SNAPSHOTS)).astype(int).tolist()))
    where = {int(s): i for i, s in enumerate(recorded)}
    missing = [s for s in steps if int(s) not in where]
    if missing:
        raise ValueError(f"steps {missing} have no recorded microstate; recorded input steps: "
                         f"{', '.join(map(str, recorded))}")
    return [where[int(s)] for s in steps]


def drive_section(ds: xr.Dataset) -> Section | None:
    """The input series per input step and the applied field (experiment results).

    The field is drawn against input steps too: with ``k`` field steps per input (at most
    :data:`MAX_FIELD_PHASES`), one line per field step ``j`` of each input (the loop's
    +H(u) and -H(u)); otherwise field step ``i`` at input step ``i / k``.  A two-component
    field is drawn along its strongest direction.  A last panel shows the first :data:`DRIVE_DETAIL` inputs' fields
    point by point."""
    if "magnetization" in ds.data_vars or _swept(ds):
        return None
    series = ds["input"] if "input" in ds.data_vars and ds["input"].ndim == 1 else None
    field = ds["field"] if "field" in ds.data_vars and ds["field"].ndim in (1, 2) else None
    if field is None and (series is None or _spectra_with_inputs(ds) is not None):
        return None  # nothing, or only the inputs the spectra section draws
    n_inputs = series.size if series is not None else None
    panels = []
    if series is not None:
        panels.append(("input series", _axis_values(ds, series.dims[0]), series.values,
                       _short_label(series), "input step"))
    if field is not None:
        values, what = _field_line(field)
        steps = _axis_values(ds, field.dims[0])
        per_input = field.shape[0] / n_inputs if n_inputs else 1.0
        unit = f" ({field.attrs['units']})" if field.attrs.get("units") else ""
        if per_input == int(per_input) and 1 < per_input <= MAX_FIELD_PHASES:
            # one line per field step of an input (e.g. +H(u) and -H(u) of a loop)
            k = int(per_input)
            panels.append((f"applied field {what}, field step j of each input",
                           steps[::k] / k, values.reshape(-1, k), f"field{unit}", "input step"))
        else:
            x = steps / per_input if per_input != 1 else steps
            panels.append((f"applied field {what}", x, values, f"field{unit}", "input step"))
        if per_input > 1:
            m = int(min(field.shape[0], round(DRIVE_DETAIL * per_input)))
            title = f"applied field {what}, first {m} field steps ({per_input:g} per input)"
            panels.append((title, steps[:m], values[:m], f"field{unit}", "field step"))
    fig = figures.new_figure(8.0, 0.4 + 1.9 * len(panels))
    axes = np.atleast_1d(fig.subplots(len(panels), 1, squeeze=False)).ravel()
    for ax, (title, x, y, y_label, x_label) in zip(axes, panels):
        detail = x_label == "field step"
        if y.ndim == 2:
            for j, line in enumerate(y.T):
                ax.plot(x, line, linewidth=0.8, color=f"C{j + 1}", label=f"j = {j}")
            ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        else:
            ax.plot(x, y, linewidth=0.8, color="k" if title == "input series" else "C1",
                    marker="." if detail else None, markersize=3)
        ax.set_title(title, fontsize=9)
        ax.set_ylabel(y_label, fontsize=8)
        ax.set_xlabel(x_label, fontsize=8)
        ax.tick_params(labelsize=7)
    names = [da.name for da in (series, field) if da is not None]
    caption = " ".join(f"{name}: {label(ds[name])}." for name in names)
    return Section("Drive", [figure(fig, caption)], set(names))


#: Inputs whose field steps the drive section shows one by one.
DRIVE_DETAIL = 12
#: Most field steps per input drawn as one line each over all inputs.
MAX_FIELD_PHASES = 8


def _axis_values(ds: xr.Dataset, dim: str) -> np.ndarray:
    return np.asarray(ds[dim].values if dim in ds.coords else np.arange(ds.sizes[dim]),
                      dtype=np.float64)


def _short_label(da: xr.DataArray) -> str:
    """The variable's name with its units, for an axis (the long name goes in the caption)."""
    units = da.attrs.get("units")
    return f"{da.name} ({units})" if units and units != "1" else str(da.name)


def _field_line(field: xr.DataArray) -> tuple[np.ndarray, str]:
    """A field as one line: its values, or a two-component field along its strongest
    direction; with a description of what is drawn."""
    if field.ndim == 1:
        return field.values, ""
    values = field.transpose(field.dims[0], ...).values
    if values.shape[1] != 2:
        return np.linalg.norm(values, axis=1), "(magnitude)"
    angle = loop_direction(values)
    return along(values, angle), f"along {angle:.3g} deg from +x"


def _spectra_with_inputs(ds: xr.Dataset) -> str | None:
    """The observed variable whose heat map the input series is drawn above, if any."""
    for name in ("observation", "spectra"):
        if name in ds.data_vars and ds[name].ndim == 2 and "input" in ds.data_vars \
                and ds["input"].dims == ds[name].dims[:1]:
            return name
    return None


def spectra_section(ds: xr.Dataset, name: str = "observation") -> Section | None:
    """Observations (e.g. FMR spectra; a measured result's ``spectra``) as a heat map over
    the inputs, below the input series when the result holds it."""
    if name not in ds.data_vars or ds[name].ndim != 2:
        return None
    obs = ds[name]
    step, channel = obs.dims
    steps = _axis_values(ds, step)
    if "frequency" in obs.coords and obs["frequency"].dims == (channel,):
        axis, axis_label = obs["frequency"].values / 1e9, "frequency (GHz)"
        title = "Observed spectra"
    elif channel in obs.coords and obs[channel].dtype.kind in "fiu":
        axis, axis_label = obs[channel].values, _short_label(obs[channel])
        title = "Observed spectra"
    else:
        axis, axis_label = np.arange(obs.shape[1]), "channel"
        title = "Observations"
    inputs = ds["input"] if _spectra_with_inputs(ds) == name else None
    fig = figures.spectra_figure(obs.values, steps, axis, axis_label, label(obs),
                                 None if inputs is None else inputs.values,
                                 None if inputs is None else _short_label(inputs))
    return Section(title, [figure(
        fig, f"{obs.shape[1]} observed channels after each of {obs.shape[0]} inputs "
        "(colour: the observed value; signed values on a scale symmetric about zero)"
        + (f", below the input series ({label(inputs)})." if inputs is not None else "."))],
        {name} | ({"input"} if inputs is not None else set()))


def entry_label(da: xr.DataArray, dim: str, i: int) -> str:
    """How entry ``i`` along ``dim`` is named in titles and table rows ("t+3", "task x")."""
    value = da[dim].values[i] if dim in da.coords else i
    return f"t+{value}" if dim == "horizon" else f"{dim} {value}"


def prediction_section(ds: xr.Dataset) -> Section | None:
    """Prediction of each system against the target on the test part."""
    if not _has(ds, "prediction", "target") or _swept(ds):
        return None
    pred, target = ds["prediction"], ds["target"]
    if "system" not in pred.dims or "time" not in pred.dims or "time" not in target.dims:
        return None
    panels = [d for d in target.dims if d != "time"]
    if len(panels) > 1:
        return None
    time = ds["time"].values if "time" in ds.coords else np.arange(target.sizes["time"])
    if panels:
        dim = panels[0]
        k = min(target.sizes[dim], figures.MAX_PANELS)
        tgt = target.transpose(dim, "time").values[:k]
        titles = [entry_label(target, dim, i) for i in range(k)]
        preds = {str(s): pred.sel(system=s).transpose(dim, "time").values[:k]
                 for s in pred["system"].values}
    else:
        dim, k = None, 1
        tgt, titles = target.values[None, :], [str(ds.attrs.get("task", "target"))]
        preds = {str(s): pred.sel(system=s).values[None, :] for s in pred["system"].values}
    if "nmse" in ds.data_vars and "system" in ds["nmse"].dims:
        nmse = ds["nmse"]
        for i in range(k):
            row = nmse.isel({dim: i}) if dim is not None else nmse
            scores = ", ".join(f"{s} {float(row.sel(system=s)):.3g}" for s in row["system"].values)
            titles[i] += f" (test NMSE: {scores})"
    shown = "" if dim is None or k == target.sizes[dim] else \
        f" (the first {k} of {target.sizes[dim]} {dim} entries; the Metrics table lists all)"
    return Section("Prediction against target", [figure(
        figures.prediction_figure(time, tgt, preds, titles),
        f"Target and predictions on the test part{shown}.")], {"prediction", "target"})


def comparison_section(ds: xr.Dataset) -> Section | None:
    """The array comparison's figure (memory capacity, nonlinearity, NMSE)."""
    if not _has(ds, *COMPARISON_VARIABLES) or "repeat" not in ds.dims or "kind" not in ds.coords:
        return None
    return Section("Comparison of arrays and networks", [_saved_figure(
        save_comparison_figure, ds,
        "Memory capacity and nonlinearity per system; Mackey-Glass test NMSE against horizon "
        "(dotted: linear on the raw input); sine-task test NMSE.")], set())


def is_metric(da: xr.DataArray) -> bool:
    """A small numeric variable with no series dimension (step, time, bar, channel, ...)."""
    return (not SERIES_DIMS.intersection(da.dims) and da.size <= MAX_TABLE_SIZE
            and da.dtype.kind in "fiub" and not str(da.name).startswith("bar_"))


def metrics_section(ds: xr.Dataset, shown: set[str] = frozenset()) -> Section | None:
    """One table per metric: systems as columns, with the linear baseline next to them;
    variables in ``shown`` (drawn by another section) are left out."""
    if _swept(ds):
        return None
    names = [n for n in ds.data_vars
             if n not in ENERGY_VARIABLES and n not in shown and is_metric(ds[n])]
    baselines = {n for n in names if n.endswith("_linear") and n.removesuffix("_linear") in names}
    blocks = [metric_table(ds, n, ds[f"{n}_linear"] if n + "_linear" in baselines else None)
              for n in names if n not in baselines]
    if not blocks:
        return None
    return Section("Metrics", blocks, set(names))


def metric_table(ds: xr.Dataset, name: str, baseline: xr.DataArray | None = None) -> str:
    """A metric as a table: rows along its first dimension other than ``system`` / ``repeat``,
    one column per system (``mean ± sd`` over repeats), ``baseline`` as a last column, and
    the reservoir / linear ratio where both are systems."""
    da = ds[name]
    columns = list(da["system"].values) if "system" in da.dims else [name]
    row_dims = [d for d in da.dims if d not in ("system", "repeat")]
    rows = []
    for at in positions(da, row_dims):
        row_label = ", ".join(entry_label(da, d, i) for d, i in at.items()) or name
        point = da.isel(at)
        cells = ([value_cell(point.isel(system=j)) for j in range(len(columns))]
                 if "system" in da.dims else [value_cell(point)])
        if baseline is not None:
            cells.append(value_cell(baseline.isel(at)))
        if {"reservoir", "linear"} <= set(columns):
            cells.append(float(point.sel(system="reservoir").mean())
                         / float(point.sel(system="linear").mean()))
        rows.append((row_label, *cells))
    header = ["", *map(str, columns)]
    if baseline is not None:
        header.append("linear on raw input")
    if {"reservoir", "linear"} <= set(columns):
        header.append("reservoir / linear")
    return table(header, rows, caption=label(da))


def energy_section(ds: xr.Dataset) -> Section | None:
    """Energy per input step: terms by scenario, from an ``energy`` (scenario, term) variable,
    an ``energy`` (term) variable with ``included`` (scenario, term) flags
    (:meth:`nanomag.energy.EnergyBreakdown.to_dataset`, an experiment result); else the
    ``energy`` (term) terms and the ``energy_total`` (scenario) totals as they are; else the
    ``energy_*_J`` attributes."""
    energy = _energy_by_scenario(ds)
    used = set(ENERGY_VARIABLES) & set(ds.data_vars)
    if energy is not None:
        energy = energy.transpose("term", "scenario")
        scenarios = [str(s) for s in energy["scenario"].values]
        # terms stored once (with ``included`` flags) also get a column of their own values
        own = ds["energy"] if ds["energy"].dims == ("term",) else None
        rows = [(str(t), *([float(own.sel(term=t))] if own is not None else []),
                 *map(float, energy.sel(term=t).values)) for t in energy["term"].values]
        rows.append(("total", *([""] if own is not None else []),
                     *map(float, energy.sum("term", skipna=True).values)))
        header = ("term (J)", *(["per input"] if own is not None else []), *scenarios)
        caption = label(ds["energy"]) + " (a dash: not part of that scenario)"
        return Section("Energy per input", [table(header, rows, caption)], used)
    if "energy" in ds.data_vars and ds["energy"].dims == ("term",):
        blocks = [table(("term", "J per input"), _entries(ds["energy"]),
                        caption=label(ds["energy"]) + " (a dash: not known)")]
        if "energy_total" in ds.data_vars and ds["energy_total"].dims == ("scenario",) \
                and ds.sizes["scenario"]:
            blocks.append(table(("scenario", "J per input"), _entries(ds["energy_total"]),
                                caption=label(ds["energy_total"])))
        return Section("Energy per input", blocks, used)
    named = [(k.removeprefix("energy_").removesuffix("_J"), float(v))
             for k, v in ds.attrs.items() if k.startswith("energy_") and k.endswith("_J")]
    if not named:
        return None
    terms = [(name, v) for name, v in named if not name.startswith("total_")]
    totals = [(name.removeprefix("total_"), v) for name, v in named if name.startswith("total_")]
    blocks = [table(("term", "J per input"), terms)]
    if totals:
        blocks.append(table(("scenario", "J per input"), totals,
                            caption="energy per input step, summed over the scenario's terms"))
    advantage = [(k.removeprefix("energy_advantage_"), float(v)) for k, v in ds.attrs.items()
                 if k.startswith("energy_advantage_")]
    if advantage:
        blocks.append(table(("scenario", "digital ESN / this reservoir"), advantage,
                            caption="energy of a digital echo-state network per input, "
                            "relative (> 1: the reservoir uses less)"))
    return Section("Energy per input", blocks)


def _entries(da: xr.DataArray) -> list[tuple[str, float]]:
    """(label, value) rows of a one-dimensional variable."""
    dim = da.dims[0]
    return [(str(key), float(value)) for key, value in zip(da[dim].values, da.values)]


def _energy_by_scenario(ds: xr.Dataset) -> xr.DataArray | None:
    """Energy (scenario, term), NaN for the terms a scenario leaves out; None if absent."""
    if "energy" not in ds.data_vars:
        return None
    energy = ds["energy"]
    if set(energy.dims) == {"scenario", "term"}:
        return energy
    if energy.dims == ("term",) and "included" in ds.data_vars \
            and set(ds["included"].dims) == {"scenario", "term"}:
        return energy.where(ds["included"].astype(bool))
    return None


def loop_direction(field: np.ndarray) -> float:
    """The loop's field direction, deg from +x: that of the strongest applied field."""
    strongest = field[np.argmax(np.linalg.norm(field, axis=-1))]
    return float(np.degrees(np.arctan2(strongest[1], strongest[0])))


def loop_section(ds: xr.Dataset) -> Section | None:
    """A hysteresis loop: M(H) along the field direction, coercive fields, flips."""
    if not _has(ds, "field", "magnetization") or ds["field"].dims != ("step", "component") \
            or ds["magnetization"].dims != ("step", "component"):
        return None
    angle = loop_direction(ds["field"].values)
    h, m = along(ds["field"].values, angle), along(ds["magnetization"].values, angle)
    hc = coercive_fields(h, m)
    rows = [("field direction (deg from +x)", angle),
            ("coercive field, descending (mT)", hc.descending * 1e3),
            ("coercive field, ascending (mT)", hc.ascending * 1e3)]
    used = {"field", "magnetization"}
    for name, text in (("flips", "total flips"), ("n_vortex", "vortex bars at the end")):
        if name in ds.data_vars and ds[name].dims == ("step",):
            value = ds[name].sum() if name == "flips" else ds[name][-1]
            rows.append((text, int(value)))
            used.add(name)
    fig = figures.loop_figure({"": (h, m)}, f"{ds.attrs.get('lattice', '')} "
                              f"{ds.attrs.get('n_bars', '')} bars, {angle:.3g} deg")
    return Section("Hysteresis loop", [figure(fig, "Magnetization along the field direction "
                                              "against the applied field."),
                                       table(("quantity", "value"), rows)], used)


def sweep_metrics(ds: xr.Dataset) -> dict[str, dict[str, xr.DataArray]]:
    """Scalar results per grid point, by quantity (its label) and entry: variables whose
    other dimensions are short labels (one entry per label combination, e.g. per task and
    system), and a loop's coercive fields and total flips."""
    swept = _swept(ds)
    out: dict[str, dict[str, xr.DataArray]] = {}
    for name, da in ds.data_vars.items():
        extra = [d for d in da.dims if d not in swept]
        if set(swept) <= set(da.dims) and not SERIES_DIMS.intersection(extra) \
                and da.dtype.kind in "fiub" and int(np.prod([da.sizes[d] for d in extra])) <= 6:
            out[label(da)] = {", ".join(entry_label(da, d, i) for d, i in at.items()):
                              da.isel(at).rename(name) for at in positions(da, extra)}
    if _has(ds, "field", "magnetization") and "step" in ds["field"].dims:
        out.update(_loop_metrics(ds, swept))
    return out


def _loop_metrics(ds: xr.Dataset, swept: list[str]) -> dict[str, dict[str, xr.DataArray]]:
    field = ds["field"].transpose(*swept, "step", "component")
    mag = ds["magnetization"].transpose(*swept, "step", "component")
    shape = [ds.sizes[d] for d in swept]
    down, up = np.full(shape, np.nan), np.full(shape, np.nan)
    for idx in np.ndindex(*shape):
        f, m = field.values[idx], mag.values[idx]
        keep = np.isfinite(f).all(axis=1)
        if keep.sum() > 1:
            angle = loop_direction(f[keep])
            hc = coercive_fields(along(f[keep], angle), along(m[keep], angle))
            down[idx], up[idx] = hc.descending * 1e3, hc.ascending * 1e3
    coords = {d: ds[d] for d in swept}
    out = {"coercive field (mT)": {
        branch: xr.DataArray(values, coords, swept, name="field")
        for branch, values in (("descending branch", down), ("ascending branch", up))}}
    if "flips" in ds.data_vars and "step" in ds["flips"].dims:
        out["total flips"] = {"": ds["flips"].sum("step").transpose(*swept).rename("flips")}
    return out


def sweep_section(ds: xr.Dataset) -> Section | None:
    """Metrics over the swept parameters: heat maps (two or more swept dimensions, at the
    first value of the others) or lines (one), and the loops of a one-dimensional sweep."""
    swept = _swept(ds)
    if not swept:
        return None
    metrics = sweep_metrics(ds)
    blocks = []
    used = {da.name for entries in metrics.values() for da in entries.values()}
    if len(swept) == 1:
        dim = swept[0]
        for quantity, entries in metrics.items():
            lines = {entry or quantity: da.values for entry, da in entries.items()}
            blocks.append(figure(figures.sweep_line_figure(
                ds[dim].values, lines, dim, quantity, f"{quantity} against {dim}"),
                f"{quantity} at each value of {dim}."))
        if _has(ds, "field", "magnetization") and "step" in ds["field"].dims:
            blocks.append(figure(figures.loop_figure(_loops(ds, dim), f"loops over {dim}"),
                                 f"Hysteresis loop at each value of {dim}."))
    else:
        y, x, *rest = swept
        fixed = {d: 0 for d in rest}
        where = ", ".join(f"{d} = {ds[d].values[0]}" for d in rest)
        for quantity, entries in metrics.items():
            for entry, da in entries.items():
                values = da.isel(fixed).transpose(y, x).values
                title = ", ".join(t for t in (entry, where) if t)
                blocks.append(figure(figures.heatmap_figure(
                    values, ds[x].values, ds[y].values, x, y, quantity, title),
                    f"{quantity} over {y} and {x}{f' ({title})' if title else ''}."))
    if not blocks:
        blocks.append(paragraph("no scalar result per grid point to draw", note=True))
    return Section("Sweep", blocks, used)


def _loops(ds: xr.Dataset, dim: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    curves = {}
    for value in ds[dim].values:
        point = ds.sel({dim: value})
        f, m = point["field"].values, point["magnetization"].values
        keep = np.isfinite(f).all(axis=1)
        angle = loop_direction(f[keep])
        curves[f"{dim} = {value}"] = (along(f[keep], angle), along(m[keep], angle))
    return curves


def unknown_section(ds: xr.Dataset, shown: set[str]) -> Section | None:
    """A table of the variables no section showed."""
    rest = [n for n in ds.data_vars if n not in shown]
    if not rest:
        return None
    rows = [(n, ", ".join(f"{d} = {ds.sizes[d]}" for d in ds[n].dims) or "scalar",
             ds[n].attrs.get("units", ""), ds[n].attrs.get("long_name", "")) for n in rest]
    return Section("Other variables", [table(("variable", "dimensions", "units", "long name"),
                                             rows)], set(rest))
