"""Reading a run folder for the report: bounded, never following a link out of it.

Every file is read through :mod:`sim.files` (a link out of the folder, a
device, a FIFO or a file too large is refused before a byte is read). The
headline numbers are computed here from ``metrics.csv`` and ``links.csv``.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim import files

__all__ = [
    "Headline",
    "as_text",
    "dig",
    "headline",
    "number",
    "read_csv",
    "read_text",
    "sha256",
]


def read_text(run_dir: Path, name: str) -> str | None:
    """A run folder file's text; None if it is absent.

    Raises:
        FileProblem: it is a link out of the folder, not a regular file, too
            large, or not UTF-8 (never followed, never read whole if too large).
    """
    try:
        (run_dir / name).lstat()
    except OSError:
        return None
    data = files.read_inside(run_dir, name, what=f"run folder's {name}")
    return files.decode(data, run_dir / name, f"run folder's {name}")


def read_csv(run_dir: Path, name: str) -> list[dict[str, str]]:
    """A run folder table as rows of text (none if the file is absent)."""
    body = read_text(run_dir, name)
    if body is None:
        return []
    return list(csv.DictReader(body.splitlines()))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def number(value: float | None) -> str:
    """A headline number with two decimals ("–" when there is none)."""
    return "–" if value is None else f"{value:.2f}"


@dataclass
class Headline:
    """Headline numbers of a run, from ``metrics.csv`` and ``links.csv``."""

    peak_tension: float | None = None
    peak_actor: str = ""
    peak_turn: int | None = None
    start_mean_tension: float | None = None
    final_mean_tension: float | None = None
    peak_mean_tension: float | None = None
    peak_mean_turn: int | None = None
    mean_abs_gap: float | None = None
    links: int = 0
    miscalculations: int = 0
    longest_chain: int = 0
    longest_chain_turn: int | None = None
    norms_start: float | None = None
    norms_end: float | None = None
    final_turn: int | None = None


def headline(run_dir: Path, actor_order: Sequence[str]) -> Headline:
    """Compute the headline numbers from the run folder's tables."""
    h = Headline()
    rank = {a: k for k, a in enumerate(actor_order)}
    tension: dict[int, dict[str, float]] = {}
    gaps: list[float] = []
    norms: dict[int, float] = {}
    for row in read_csv(run_dir, "metrics.csv"):
        metric, value = row.get("metric"), _float(row.get("value"))
        turn = int(row.get("turn") or 0)
        if value is None:
            continue
        if metric == "tension" and not row.get("other"):
            tension.setdefault(turn, {})[row.get("actor", "")] = value
        elif metric == "perception_gap_mean":
            gaps.append(value)
        elif metric == "norms":
            norms[turn] = value
    if tension:
        best: tuple[float, int, int, str] | None = None
        for turn in sorted(tension):
            for actor, value in tension[turn].items():
                key = (-value, turn, rank.get(actor, len(rank)), actor)
                if best is None or key < best:
                    best = key
        assert best is not None
        h.peak_tension, h.peak_turn, h.peak_actor = -best[0], best[1], best[3]
        means = {t: sum(v.values()) / len(v) for t, v in tension.items() if v}
        first, last = min(means), max(means)
        h.start_mean_tension, h.final_mean_tension, h.final_turn = means[first], means[last], last
        h.peak_mean_turn = min(means, key=lambda t: (-means[t], t))
        h.peak_mean_tension = means[h.peak_mean_turn]
    if gaps:
        h.mean_abs_gap = sum(gaps) / len(gaps)
    if norms:
        h.norms_start, h.norms_end = norms[min(norms)], norms[max(norms)]
    for row in read_csv(run_dir, "links.csv"):
        h.links += 1
        if row.get("miscalculation", "").strip().lower() in ("true", "1"):
            h.miscalculations += 1
        depth = int(_float(row.get("chain_depth")) or 0)
        turn = int(row.get("turn") or 0)
        if depth > h.longest_chain:
            h.longest_chain, h.longest_chain_turn = depth, turn
    return h


def sha256(run_dir: Path, rel: str) -> str:
    """SHA-256 of a run folder file, or why it cannot be read."""
    try:
        (run_dir / rel).lstat()
    except OSError:
        return "missing"
    try:
        return hashlib.sha256(files.read_inside(run_dir, rel)).hexdigest()
    except files.FileProblem:
        return "not read (a link out of the folder, or not a regular file)"


def dig(data: Any, *keys: str) -> Any:
    """``data[k1][k2]...``, or None where a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def as_text(value: Any) -> str:
    """A value from the scenario or manifest as text: ``None`` empty, floats short, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    return str(value)
