"""Multi-run chart styling: the shared helpers draw exactly what each chart drew on its own."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.outputs import style
from sim.outputs.figures import save_figure


def _find(name: str, *modules: str) -> Any:
    """A chart function wherever it lives now (charts are moving from running/ to outputs/)."""
    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    pytest.skip(f"{name} not found in {modules}")


def _same_files(a: Any, b: Any, tmp_path: Path) -> None:
    pa = save_figure(a, tmp_path / "a", "chart")
    pb = save_figure(b, tmp_path / "b", "chart")
    for x, y in zip(pa, pb, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


@pytest.fixture
def paths() -> np.ndarray:
    rng = np.random.default_rng(5)
    return np.clip(np.cumsum(rng.normal(0.02, 0.05, (40, 13)), axis=1) + 0.3, 0, 1)


def test_fan_chart(paths: np.ndarray, tmp_path: Path) -> None:
    fan_figure = _find("fan_figure", "sim.outputs.ensemble_folder")
    title, ylabel = "Drill — mean tension over 40 runs", "mean tension over actors (0–1)"

    fig, ax = style.chart()
    turns = np.arange(0, paths.shape[1])
    q = style.quantiles(paths)
    style.bands(ax, turns, q, style.FIRST)
    style.median(ax, turns, q, style.FIRST, width=style.FAN_MEDIAN_WIDTH)
    ax.set_xlim(turns[0], turns[-1])
    style.finish(ax, "turn", ylabel, title, unit_range=True)
    _same_files(fan_figure(paths, title, ylabel, 0), fig, tmp_path)


def test_sweep_response(tmp_path: Path) -> None:
    response_figure = _find("response_figure", "sim.outputs.sweep", "sim.running.sweep")
    axis_type = _find("Axis", "sim.running.sweep", "sim.outputs.sweep")
    rng = np.random.default_rng(2)
    values = (0.1, 0.5, 0.9)
    table = pd.DataFrame(
        {
            "actors.a.posture.resolve": np.repeat(values, 20),
            "replicate": np.tile(np.arange(20), 3),
            "peak_tension": rng.uniform(0, 1, 60),
        }
    )
    axis = axis_type("actors.a.posture.resolve", values)

    fig, ax = style.chart()
    grouped = table.groupby(axis.path)["peak_tension"]
    x = np.array(sorted(table[axis.path].unique()))
    q = np.array([style.quantiles(grouped.get_group(v)) for v in x]).T
    style.bands(ax, x, q)
    style.median(ax, x, q, markers=True)
    style.labels(ax, axis.path, "peak_tension")
    style.legend(ax, "best")
    style.grid(ax)
    style.title(ax, "peak_tension across the sweep (20 runs per point)")
    _same_files(response_figure(table, [axis], "peak_tension"), fig, tmp_path)


def test_compare_overlay(paths: np.ndarray, tmp_path: Path) -> None:
    from sim.outputs import compare

    other = np.clip(paths * 0.8, 0, 1)
    side_a, side_b = compare.Side("drill", None, 1), compare.Side("calm", None, 1)  # type: ignore[arg-type]
    seeds = list(range(len(paths)))
    c = compare.Comparison(side_a, side_b, seeds, [], pd.DataFrame(), pd.DataFrame(), paths, other)

    fig, ax = style.chart()
    for series, label, colour in (
        (paths, "A: drill", style.FIRST),
        (other, "B: calm", style.SECOND),
    ):
        turns = np.arange(series.shape[1])
        q = style.quantiles(series)
        style.bands(ax, turns, q, colour, alpha=style.OVERLAY_BAND_ALPHA, labels=None)
        style.median(ax, turns, q, colour, label=f"{label} (median, 50% and 90% bands)")
    ax.set_xlim(0, paths.shape[1] - 1)
    style.finish(
        ax,
        "turn",
        "mean tension over actors (0–1)",
        f"drill vs calm — mean tension over {len(seeds)} seeds",
        unit_range=True,
    )
    _same_files(compare.overlay_figure(c), fig, tmp_path)


def test_sensitivity_tornado(tmp_path: Path) -> None:
    tornado_figure = _find("tornado_figure", "sim.outputs.sensitivity", "sim.running.sensitivity")
    indices = pd.DataFrame(
        {
            "parameter": ["resolve", "restraint", "threat"],
            "mu_star": [0.3, 0.2, 0.05],
            "mu_star_conf": [0.05, 0.04, 0.02],
            "sigma": [0.2, 0.1, 0.03],
        }
    )
    rows = indices.iloc[::-1]
    fig, ax = style.chart(height=1.2 + 0.6 * len(rows))
    y = np.arange(len(rows))
    ax.barh(
        y,
        rows["mu_star"],
        xerr=rows["mu_star_conf"],
        color=style.FIRST,
        capsize=4,
        label="mu* (effect size)",
    )
    ax.plot(rows["sigma"], y, "D", color=style.SECOND, label="sigma (interactions)")
    ax.set_xlabel("effect on peak_tension", fontsize=style.LABEL_SIZE)
    ax.set_yticks(y, rows["parameter"])
    ax.axvline(0, color="black", lw=0.8)
    style.grid(ax, "x")
    style.legend(ax, "lower right")
    style.title(ax, "Morris sensitivity of peak_tension")
    _same_files(tornado_figure(indices, "morris", "peak_tension"), fig, tmp_path)
