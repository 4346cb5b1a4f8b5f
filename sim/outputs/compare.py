"""Compare two scenarios or run folders: what differs in the inputs, and in the outcomes.

``sim compare A B [--runs N]``: A and B are scenario files (or bundled ids) or
run folders. The input diff lists every value that differs between the two
resolved scenarios (``actors.russia.posture.restraint.value: 0.45 → 0.9``).
The outcome table gives headline metrics for A, B and B − A. With ``--runs N``
both are run over the same N replicate seeds (common random numbers: each
seed gives both variants the same random draws), and the table shows means,
90% ranges and how often B came out lower than A; the overlay figure shows the
median of mean tension with 50% and 90% bands.

Labels, titles, field paths and values come from the scenarios (or a run
folder's name): they are escaped as they enter the Markdown
(:func:`sim.text.escape_markdown`), so they show as the text they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import files
from sim.running.replicates import replicate_seeds, run_replicates
from sim.scenario.loader import load_scenario
from sim.scenario.schema import SEED_MAX, Scenario
from sim.text import escape_markdown

OUTCOMES = {
    "peak_mean_tension": "peak of mean tension",
    "final_mean_tension": "mean tension at the end",
    "peak_tension": "highest tension of any actor",
    "final_escalation_index": "escalation index at the end",
    "mean_abs_gap": "mean perception gap (absolute)",
    "chain_links": "action–counteraction links",
    "miscalculations": "miscalculations",
    "longest_chain": "longest chain (links)",
    "final_norms": "regime strength at the end",
}


@dataclass(slots=True)
class Side:
    """One side of a comparison: a scenario, its label and its default seed."""

    label: str
    scenario: Scenario
    seed: int | None


def load_side(arg: str) -> Side:
    """A scenario file, bundled id, or run folder (uses its resolved scenario and seed)."""
    from sim.paths import resolve_scenario

    path = Path(arg)
    if path.is_dir() and (path / "scenario.resolved.yaml").exists():
        return Side(
            path.name, load_scenario(files.inside(path, "scenario.resolved.yaml")), _seed(path)
        )
    resolved = resolve_scenario(arg)
    scenario = load_scenario(resolved)
    return Side(scenario.id, scenario, scenario.seed)


def _seed(run: Path) -> int:
    """The seed a run folder's manifest records.

    Raises:
        FileProblem: the manifest is missing, garbled, or its seed is not a valid seed.
    """
    manifest = files.read_json(
        files.inside(run, files.MANIFEST), limit=files.MANIFEST_LIMIT, what="run manifest"
    )
    seed = manifest.get("seed") if isinstance(manifest, dict) else None
    if type(seed) is not int or not 0 <= seed <= SEED_MAX:
        raise files.FileProblem(
            f"{files.shown(run / files.MANIFEST)}: seed: not a whole number from 0 to "
            f"{SEED_MAX}: this is not a run folder's manifest; run the scenario again"
        )
    return seed


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as ``dotted.path -> leaf`` (lists indexed by position)."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}{key}."))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}{i}."))
    else:
        out[prefix.rstrip(".")] = value
    return out


def input_diff(a: Scenario, b: Scenario) -> list[tuple[str, Any, Any]]:
    """Every differing value as ``(path, value in A, value in B)``; absent is None.

    Bases and metadata prose are left out (they explain values, they are not values).
    """
    fa = flatten(a.model_dump(mode="json", exclude_none=True))
    fb = flatten(b.model_dump(mode="json", exclude_none=True))
    rows = []
    for path in sorted(set(fa) | set(fb)):
        if ".basis." in f".{path}." or path.startswith("metadata.") or path == "extends":
            continue
        va, vb = fa.get(path), fb.get(path)
        if va != vb:
            rows.append((path, va, vb))
    return rows


def _short(value: Any, limit: int = 40) -> str:
    text = "—" if value is None else json.dumps(value, ensure_ascii=False)
    text = text.strip('"')
    return text if len(text) <= limit else text[: limit - 1] + "…"


_CODE_SAFE = re.compile(r"[A-Za-z0-9_.\-]+")


def _md(text: str, *, cell: bool = False) -> str:
    """Text from a scenario or a folder name as Markdown that shows as that text.

    ``cell``: the text fills a table cell, where no line-start syntax applies.
    """
    return escape_markdown(text, inline=True, line_start=not cell)


def _md_path(path: str) -> str:
    """A field path (a table cell) as inline code, or as escaped text if code cannot hold it."""
    return f"`{path}`" if _CODE_SAFE.fullmatch(path) else _md(path, cell=True)


def _run(
    scenario: Scenario, seeds: list[int], turns: int | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Summaries per seed and the (runs, T + 1) mean-tension paths."""
    table, paths = run_replicates(scenario, seeds, turns)
    return table, paths["mean_tension"]


@dataclass(slots=True)
class Comparison:
    """The result of comparing two sides."""

    a: Side
    b: Side
    seeds: list[int]
    diff: list[tuple[str, Any, Any]]
    table_a: pd.DataFrame
    table_b: pd.DataFrame
    paths_a: np.ndarray
    paths_b: np.ndarray

    def outcome_table(self) -> pd.DataFrame:
        """Per metric: A, B, B − A (means over seeds), and with several seeds the share B < A."""
        rows = []
        for key, label in OUTCOMES.items():
            va, vb = self.table_a[key].to_numpy(float), self.table_b[key].to_numpy(float)
            row: dict[str, Any] = {
                "metric": label,
                "A": va.mean(),
                "B": vb.mean(),
                "B - A": (vb - va).mean(),
            }
            if len(self.seeds) > 1:
                row["A 5-95%"] = f"{np.percentile(va, 5):.2f}–{np.percentile(va, 95):.2f}"
                row["B 5-95%"] = f"{np.percentile(vb, 5):.2f}–{np.percentile(vb, 95):.2f}"
                row["B < A"] = f"{100 * float((vb < va).mean()):.0f}%"
            rows.append(row)
        return pd.DataFrame(rows)

    def markdown(self) -> str:
        """The comparison as Markdown (inputs, then outcomes)."""
        runs = len(self.seeds)
        lines = [
            f"# Comparison: {_md(self.a.label)} (A) vs {_md(self.b.label)} (B)",
            "",
            f"A: {_md(self.a.scenario.metadata.title)}  ",
            f"B: {_md(self.b.scenario.metadata.title)}",
            "",
            "## What differs in the inputs",
            "",
        ]
        if self.diff:
            lines += ["| field | A | B |", "|---|---|---|"]
            lines += [
                f"| {_md_path(p)} | {_md(_short(va), cell=True)} | {_md(_short(vb), cell=True)} |"
                for p, va, vb in self.diff
            ]
        else:
            lines.append("Nothing: the two resolved scenarios have the same values.")
        seeds = (
            f"seed {self.seeds[0]}"
            if runs == 1
            else f"{runs} replicate seeds, the same for A and B"
        )
        lines += ["", f"## What differs in the outcomes — {seeds}", ""]
        table = self.outcome_table()
        header = list(table.columns)
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for _, row in table.iterrows():
            cells = [
                f"{v:+.2f}" if c == "B - A" else (f"{v:.2f}" if isinstance(v, float) else str(v))
                for c, v in row.items()
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines += [
            "",
            "Same seeds give both sides the same random numbers, so differences come from the "
            "inputs above, not from luck.",
            "",
        ]
        return "\n".join(lines)


def compare(
    a: Side, b: Side, *, runs: int = 1, seed: int | None = None, turns: int | None = None
) -> Comparison:
    """Run both sides on the same seeds and collect the comparison.

    Args:
        a: Side A (the reference).
        b: Side B (the variant).
        runs: Number of replicate seeds (1: a single run each).
        seed: Root seed (default: A's seed, else B's, else 0). With ``runs > 1``
            replicate seeds are spawned from it.
        turns: Turns per run (default: each scenario's own).
    """
    root = seed if seed is not None else (a.seed if a.seed is not None else (b.seed or 0))
    seeds = [root] if runs <= 1 else replicate_seeds(root, runs)
    table_a, paths_a = _run(a.scenario, seeds, turns)
    table_b, paths_b = _run(b.scenario, seeds, turns)
    return Comparison(
        a, b, seeds, input_diff(a.scenario, b.scenario), table_a, table_b, paths_a, paths_b
    )


def overlay_figure(c: Comparison) -> Any:
    """Mean tension over turns, A against B (median with 50% and 90% bands for several runs)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 5.5))
    fig.set_layout_engine("constrained")
    ax = fig.add_subplot()
    for paths, label, colour in (
        (c.paths_a, f"A: {c.a.label}", "#0072B2"),
        (c.paths_b, f"B: {c.b.label}", "#D55E00"),
    ):
        turns = np.arange(paths.shape[1])
        if paths.shape[0] == 1:
            ax.plot(turns, paths[0], color=colour, lw=2.2, label=label)
            continue
        q5, q25, q50, q75, q95 = np.percentile(paths, [5, 25, 50, 75, 95], axis=0)
        ax.fill_between(turns, q5, q95, color=colour, alpha=0.15, lw=0)
        ax.fill_between(turns, q25, q75, color=colour, alpha=0.3, lw=0)
        ax.plot(turns, q50, color=colour, lw=2.2, label=f"{label} (median, 50% and 90% bands)")
    ax.set_ylim(0, 1)
    ax.set_xlim(0, max(c.paths_a.shape[1], c.paths_b.shape[1]) - 1)
    ax.set_xlabel("turn", fontsize=12)
    ax.set_ylabel("mean tension over actors (0–1)", fontsize=12)
    runs = len(c.seeds)
    ax.set_title(
        f"{c.a.label} vs {c.b.label} — mean tension"
        + (f" over {runs} seeds" if runs > 1 else f", seed {c.seeds[0]}"),
        fontsize=13,
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=10)
    return fig
