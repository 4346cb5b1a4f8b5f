"""Compare two scenarios or run folders: what differs in the inputs, and in the outcomes.

This module computes the comparison; :mod:`sim.outputs.compare` writes it
(``compare.md``, the tables, the overlay figure). A and B are scenario files
(or bundled ids) or run folders. The input diff lists every value that
differs between the two resolved scenarios (``actors.russia.posture.
restraint.value: 0.45 → 0.9``). Both sides run over the same replicate seeds
(common random numbers: each seed gives both variants the same random draws),
so differences in the outcomes come from the inputs, not from luck.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import files
from sim.model.outcomes import headline_labels
from sim.running.replicates import replicate_seeds, run_replicates
from sim.running.seeds import root_seed
from sim.scenario.loader import load_scenario
from sim.scenario.schema import SEED_MAX, Scenario

OUTCOMES = headline_labels()
"""The outcomes a comparison shows (summary columns) with their labels, in order: the
headline outcomes of :data:`sim.model.outcomes.OUTCOMES`."""


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


def _run(
    scenario: Scenario, seeds: list[int], turns: int | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Summaries per seed and the (runs, T + 1) mean-tension paths."""
    table, paths = run_replicates(scenario, seeds, turns)
    return table, paths["mean_tension"]


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
    root, _ = root_seed(seed, a.seed if a.seed is not None else b.seed, fallback=0)
    seeds = [root] if runs <= 1 else replicate_seeds(root, runs)
    table_a, paths_a = _run(a.scenario, seeds, turns)
    table_b, paths_b = _run(b.scenario, seeds, turns)
    return Comparison(
        a, b, seeds, input_diff(a.scenario, b.scenario), table_a, table_b, paths_a, paths_b
    )
