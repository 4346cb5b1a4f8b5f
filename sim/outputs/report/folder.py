"""Reading a run folder for the report: bounded, never following a link out of it.

Every file is read through :mod:`sim.files` (a link out of the folder, a
device, a FIFO or a file too large is refused before a byte is read). The
headline numbers are the outcome table's (:data:`sim.model.outcomes.OUTCOMES`)
computed from ``metrics.csv``: the same definitions as ``summary.csv`` and
``sim compare``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim import files
from sim.model.outcomes import OUTCOME, OUTCOMES, PerTurn

# The outcomes the report's rows show, from the one table (a KeyError here, at
# import, when the table loses one).
_PEAK, _PEAK_MEAN, _FINAL_MEAN = (
    OUTCOME["peak_tension"],
    OUTCOME["peak_mean_tension"],
    OUTCOME["final_mean_tension"],
)
_GAP, _LINKS, _MISCALCULATIONS, _MISCALCULATION_RATE = (
    OUTCOME["mean_abs_gap"],
    OUTCOME["chain_links"],
    OUTCOME["miscalculations"],
    OUTCOME["miscalculation_rate"],
)
_LONGEST, _NORMS = OUTCOME["longest_chain"], OUTCOME["final_norms"]

__all__ = [
    "Headline",
    "as_text",
    "dig",
    "headline",
    "number",
    "read_csv",
    "read_text",
    "series",
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


def number(value: float | None) -> str:
    """A headline number with two decimals ("–" when there is none)."""
    return "–" if value is None else f"{value:.2f}"


@dataclass
class Headline:
    """Headline numbers of a run, read from ``metrics.csv`` by the outcome table.

    Every number that is a headline outcome is the value of that outcome in
    :data:`sim.model.outcomes.OUTCOMES`, computed from the folder's per-turn
    series (:meth:`PerTurn.from_metrics`): the same definition as an
    ensemble's ``summary.csv`` and ``sim compare``, over the turns played
    (1..T), never the starting state. :attr:`outcomes` holds them all by name;
    the other fields say where a peak was reached and what the starting state
    was. Everything is None (counts 0) when ``metrics.csv`` is absent or cannot
    be read as a run's metrics.
    """

    outcomes: dict[str, float] = field(default_factory=dict)
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
    miscalculation_rate: float | None = None
    longest_chain: int = 0
    longest_chain_turn: int | None = None
    norms_start: float | None = None
    norms_end: float | None = None
    final_turn: int | None = None


def series(run_dir: Path, actor_order: Sequence[str]) -> PerTurn | None:
    """The run folder's per-turn series, or None if ``metrics.csv`` is absent or not a run's.

    Raises:
        FileProblem: ``metrics.csv`` is a link out of the folder, not a regular
            file, too large, or not UTF-8.
    """
    import pandas as pd

    body = read_text(run_dir, "metrics.csv")
    if body is None or not actor_order:
        return None
    try:
        table = pd.read_csv(io.StringIO(body), keep_default_na=False)
        found = PerTurn.from_metrics(table, actor_order)
    except (ValueError, KeyError, TypeError):
        return None
    return found if found.turns and found.tension.shape[0] == found.turns + 1 else None


def _first(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    """The first index (in row-major order) where ``mask`` holds."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def headline(run_dir: Path, actor_order: Sequence[str]) -> Headline:
    """The headline numbers of a run folder, from the outcome table (see :class:`Headline`)."""
    h = Headline()
    s = series(run_dir, actor_order)
    if s is None:
        return h
    h.outcomes = {o.name: o.of(s).item() for o in OUTCOMES}
    value = {o.name: o.of(s) for o in OUTCOMES}
    played = s.tension[1:]  # turns 1..T: the outcomes' series
    peak = value[_PEAK.name]
    turn, actor = _first(played == peak)  # the first turn, then the first actor, reaching it
    h.peak_tension, h.peak_turn, h.peak_actor = float(peak), turn + 1, actor_order[actor]
    peak_mean = value[_PEAK_MEAN.name]
    h.peak_mean_tension = float(peak_mean)
    h.peak_mean_turn = _first(played.mean(axis=-1) == peak_mean)[0] + 1
    h.start_mean_tension = float(s.tension[0].mean())
    h.final_mean_tension = float(value[_FINAL_MEAN.name])
    h.final_turn = s.turns
    h.mean_abs_gap = float(value[_GAP.name])
    h.links = int(value[_LINKS.name])
    h.miscalculations = int(value[_MISCALCULATIONS.name])
    h.miscalculation_rate = float(value[_MISCALCULATION_RATE.name])
    h.longest_chain = int(value[_LONGEST.name])
    if h.longest_chain > 0:
        h.longest_chain_turn = _first(s.longest_chain == h.longest_chain)[0] + 1
    h.norms_start, h.norms_end = float(s.norms[0]), float(value[_NORMS.name])
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
