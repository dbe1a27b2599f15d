"""The published orderings of Stenning et al. (2024) under several physics settings.

Run: ``python validation/orderings.py LABEL=results.nc [LABEL=results.nc ...]`` on saved
``nanomag compare --out`` results (e.g. ``exact=exact.nc experiment=experiment.nc``).

Prints two markdown tables: the orderings (rows) under each setting (columns), each cell the
verdict of :func:`nanomag.experiments.comparison.published_orderings` with the compared
means ± standard deviations over repeats; and the kernel / generalisation rank, memory
capacity, nonlinearity and Mackey-Glass t+7 NMSE of every system under each setting.
"""

from __future__ import annotations

import argparse

import xarray as xr

from nanomag.experiments.comparison import PUBLISHED_SINE_TARGET, published_orderings

HORIZON = 7


def _ms(values: xr.DataArray, fmt: str = ".3f") -> str:
    return f"{float(values.mean()):{fmt}} ± {float(values.std()):{fmt}}"


def _escaped(name: str) -> str:
    """A system name inside a markdown table cell."""
    return name.replace("|", "\\|")


def evidence(ds: xr.Dataset) -> dict[str, str]:
    """The compared values behind each ordering of :func:`published_orderings`."""
    mc, nl, sine = ds.memory_capacity, ds.nonlinearity, ds.sine.sel(target=PUBLISHED_SINE_TARGET)
    mg = ds.mackey_glass.sel(horizon=HORIZON)
    means = mg.mean("repeat")
    network = str(means.where(ds.kind != "array", drop=True).idxmin().item())
    array = str(means.where(ds.kind == "array", drop=True).idxmin().item())
    ratio = float(sine.sel(system="MS").mean() / sine.sel(system="PW").mean())
    return {
        "WM MC > MS MC": f"WM {_ms(mc.sel(system='WM'))} vs MS {_ms(mc.sel(system='MS'))}",
        "PW NL > WM NL": f"PW {_ms(nl.sel(system='PW'))} vs WM {_ms(nl.sel(system='WM'))}",
        f"best network MG t+{HORIZON} < best array":
            f"{_escaped(network)} {_ms(mg.sel(system=network))} vs {array} "
            f"{_ms(mg.sel(system=array))}",
        "PW < MS on cos 2t sin 3t": f"PW {_ms(sine.sel(system='PW'), '.4f')} vs MS "
                                    f"{_ms(sine.sel(system='MS'), '.4f')} (MS / PW = {ratio:.2g})",
    }


def tables(results: dict[str, xr.Dataset]) -> str:
    """Markdown: orderings under each setting, then the per-system metrics."""
    labels = list(results)
    lines = ["| ordering | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    verdicts = {k: published_orderings(ds, HORIZON) for k, ds in results.items()}
    values = {k: evidence(ds) for k, ds in results.items()}
    for claim in verdicts[labels[0]]:
        cells = [f"**{'holds' if verdicts[k][claim] else 'no'}**: {values[k][claim]}"
                 for k in labels]
        lines.append(f"| {claim} | " + " | ".join(cells) + " |")
    lines += ["", "| system | setting | KR | GR | MC | NL | MG t+7 |", "|---" * 7 + "|"]
    for name in results[labels[0]].system.values:
        for k, ds in results.items():
            row = ds.sel(system=name)
            lines.append(
                f"| {_escaped(name)} | {k} | "
                f"{_ms(row.kernel_rank, '.1f')} | {_ms(row.generalisation_rank, '.1f')} | "
                f"{_ms(row.memory_capacity)} | {_ms(row.nonlinearity)} | "
                f"{_ms(row.mackey_glass.sel(horizon=HORIZON))} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="LABEL=path of a `nanomag compare --out` file")
    args = parser.parse_args()
    results = {}
    for item in args.results:
        label, sep, path = item.partition("=")
        if not sep or not label or not path:
            parser.error(f"results must be LABEL=path, got {item!r}")
        results[label] = xr.load_dataset(path)
    print(tables(results))


if __name__ == "__main__":
    main()
