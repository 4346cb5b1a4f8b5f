"""Write a comparison of two scenarios or run folders (``sim compare A B [--runs N]``).

The comparison is computed by :mod:`sim.running.compare`; this writes it::

    <out>/
      compare.md            what differs in the inputs (a removed or added entry
                            on one line), then in the outcomes
      outcomes.csv          per headline outcome: A and B (mean and sd over the
                            seeds), the paired B − A with its 95% t interval,
                            seeds with B lower / tied / higher, who did better
      input_diff.csv        every value that differs between the resolved scenarios
      compare_tension.png/.svg
                            mean tension, A against B (median with 50% and 90%
                            bands over several seeds)
      manifest.json

The outcome table (:func:`outcome_rows`) says what each number is: A and B
are means over the replicate seeds with their standard deviation (the overlay
figure shows medians); B − A is the mean of the paired differences (replicate
k of A and of B share a seed) with its 95% Student's t interval; a seed where
A and B print the same (two decimals) is a tie, counted apart from "B lower"
and "B higher"; and each outcome's direction of "better" comes from
:data:`sim.model.outcomes.OUTCOMES`.

Labels, titles, field paths and values come from the scenarios (or a run
folder's name): they are escaped as they enter the Markdown
(:func:`sim.text.escape_markdown`), so they show as the text they are.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.files import output_folder
from sim.model.outcomes import OUTCOME
from sim.outputs.tables import write_csv
from sim.running.compare import OUTCOMES as SHOWN
from sim.running.compare import Comparison, Side, compare, flatten, input_diff, load_side
from sim.text import escape_markdown

__all__ = [
    "Comparison",
    "OutcomeRow",
    "Side",
    "compare",
    "grouped_diff",
    "input_diff",
    "load_side",
    "markdown",
    "outcome_rows",
    "overlay_figure",
    "t_quantile",
    "write_compare_folder",
]


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


DECIMALS = 2
"""Decimals the outcome table prints; A and B tie on a seed when they print the same."""


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        for aa in (
            m * (b - m) * x / ((a - 1.0 + 2 * m) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1.0 + 2 * m)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betai(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile (0.5 < p < 1) of Student's t distribution with ``df`` degrees of freedom.

    Solves ``P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2) = 2(1 - p)`` by bisection
    (to about 1e-12); e.g. ``t_quantile(0.975, 4)`` is 2.7764.
    """
    if not 0.5 < p < 1.0 or df < 1:
        raise ValueError(f"t_quantile needs 0.5 < p < 1 and df >= 1, not p={p}, df={df}")
    tail = 2.0 * (1.0 - p)
    lo, hi = 0.0, 1.0
    while _betai(df / 2.0, 0.5, df / (df + hi * hi)) > tail:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if _betai(df / 2.0, 0.5, df / (df + mid * mid)) > tail:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13:
            break
    return (lo + hi) / 2.0


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One outcome of a comparison over ``runs`` seeds (replicate k of A and of B share a seed).

    Attributes:
        name: The outcome's name (a ``summary.csv`` column).
        label: What it is, for a student.
        better: ``"lower"`` or ``"higher"``, from the outcome registry.
        a_mean, a_sd, b_mean, b_sd: Mean and standard deviation (n − 1) over the
            seeds; the sd is None for a single run.
        diff_mean: Mean of the paired differences B − A.
        diff_low, diff_high: Its 95% Student's t interval (None for a single run).
        b_lower, ties, b_higher: Seeds where B printed lower than, the same as,
            higher than A (to :data:`DECIMALS` decimals).
        winner: ``"A"``, ``"B"``, ``"tie"`` (every seed tied) or
            ``"no clear difference"`` (the interval includes 0) or ``"negligible"``
            (the interval excludes 0 but the mean difference rounds to 0 at
            :data:`DECIMALS` decimals); for a single run,
            the side whose printed value is better, or ``"tie"``.
    """

    name: str
    label: str
    better: str
    runs: int
    a_mean: float
    a_sd: float | None
    b_mean: float
    b_sd: float | None
    diff_mean: float
    diff_low: float | None
    diff_high: float | None
    b_lower: int
    ties: int
    b_higher: int
    winner: str


def _fmt(value: float) -> str:
    return f"{value:.{DECIMALS}f}"


def _signed(value: float) -> str:
    text = f"{value:+.{DECIMALS}f}"
    return "+" + text[1:] if float(text) == 0 else text


def outcome_rows(c: Comparison) -> list[OutcomeRow]:
    """Per headline outcome: means, spreads, the paired difference and its interval, the counts."""
    rows = []
    runs = len(c.seeds)
    t = t_quantile(0.975, runs - 1) if runs > 1 else math.nan
    for name, label in SHOWN.items():
        better = OUTCOME[name].better
        va = c.table_a[name].to_numpy(float)
        vb = c.table_b[name].to_numpy(float)
        diff = vb - va
        shown_a, shown_b = [_fmt(v) for v in va], [_fmt(v) for v in vb]
        shown_same = [x == y for x, y in zip(shown_a, shown_b, strict=True)]
        b_lower = int(((vb < va) & ~np.asarray(shown_same, dtype=bool)).sum())
        ties = sum(shown_same)
        low = high = None
        if runs > 1:
            half = t * float(diff.std(ddof=1)) / math.sqrt(runs)
            low, high = float(diff.mean()) - half, float(diff.mean()) + half
        if ties == runs:
            winner = "tie"
        elif low is None or high is None:  # one run, not a tie: the better value wins
            winner = "B" if (b_lower > 0) == (better == "lower") else "A"
        elif (high < 0 or low > 0) and _fmt(abs(float(diff.mean()))) == _fmt(0.0):
            winner = "negligible"  # real, but too small to show at the printed precision
        elif high < 0 or low > 0:
            winner = "B" if (high < 0) == (better == "lower") else "A"
        else:
            winner = "no clear difference"
        rows.append(
            OutcomeRow(
                name=name,
                label=label,
                better=better,
                runs=runs,
                a_mean=float(va.mean()),
                a_sd=float(va.std(ddof=1)) if runs > 1 else None,
                b_mean=float(vb.mean()),
                b_sd=float(vb.std(ddof=1)) if runs > 1 else None,
                diff_mean=float(diff.mean()),
                diff_low=low,
                diff_high=high,
                b_lower=b_lower,
                ties=ties,
                b_higher=runs - ties - b_lower,
                winner=winner,
            )
        )
    return rows


def outcome_frame(rows: list[OutcomeRow]) -> Any:
    """The rows as the table of ``outcomes.csv`` (one row per outcome)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "outcome": r.name,
                "label": r.label,
                "better": r.better,
                "runs": r.runs,
                "A_mean": r.a_mean,
                "A_sd": r.a_sd,
                "B_mean": r.b_mean,
                "B_sd": r.b_sd,
                "B_minus_A_mean": r.diff_mean,
                "B_minus_A_95_low": r.diff_low,
                "B_minus_A_95_high": r.diff_high,
                "seeds_B_lower": r.b_lower,
                "seeds_tied": r.ties,
                "seeds_B_higher": r.b_higher,
                "did_better": r.winner,
            }
            for r in rows
        ]
    )


def _values(n: int) -> str:
    return f"{n} value" + ("" if n == 1 else "s")


def grouped_diff(c: Comparison) -> list[tuple[str, str, str]]:
    """The input diff as ``(path, A, B)`` texts, an entry only one side has on one line.

    An entry (an inject, a move, an actor, a pair, a list item ...) that one
    scenario has and the other lacks is the shortest path, two levels deep or
    more, under which the values exist on one side only; its differing values
    become one line (``present (8 values)`` against ``absent: removed in B``).
    Every other differing value is a line of its own, as in ``input_diff.csv``.
    """
    fa = flatten(c.a.scenario.model_dump(mode="json", exclude_none=True))
    fb = flatten(c.b.scenario.model_dump(mode="json", exclude_none=True))

    def branches(flat: dict[str, Any]) -> set[str]:
        out: set[str] = set()
        for key in flat:
            parts = key.split(".")
            out.update(".".join(parts[:i]) for i in range(1, len(parts)))
        return out

    in_a, in_b = branches(fa), branches(fb)
    groups: dict[str, tuple[bool, int]] = {}
    order: list[tuple[str, Any, Any] | str] = []
    for path, va, vb in c.diff:
        parts = path.split(".")
        entry = None
        for depth in range(2, len(parts)):
            prefix = ".".join(parts[:depth])
            if (prefix in in_a) != (prefix in in_b) and prefix not in fa and prefix not in fb:
                entry = prefix
                break
        if entry is None:
            order.append((path, va, vb))
            continue
        if entry not in groups:
            order.append(entry)
            groups[entry] = (entry in in_a, 0)
        removed, n = groups[entry]
        groups[entry] = (removed, n + 1)
    rows = []
    for item in order:
        if isinstance(item, str):
            removed, n = groups[item]
            there = f"present ({_values(n)})"
            rows.append(
                (item, there, "absent: removed in B")
                if removed
                else (item, "absent: added in B", there)
            )
        else:
            path, va, vb = item
            rows.append((path, _short(va), _short(vb)))
    return rows


def _outcome_lines(c: Comparison) -> list[str]:
    runs = len(c.seeds)
    rows = outcome_rows(c)
    if runs == 1:
        lines = [
            f"A and B: the outcome of one run each, on seed {c.seeds[0]} (no spread and no "
            "interval from one run; --runs N gives means, spreads and a 95% interval). "
            f"B − A: B minus A. Better when: the direction the outcome registry counts as better. "
            f"Did better: the side whose value is on the better side, or a tie when A and B "
            f"are equal to {DECIMALS} decimals.",
            "",
            "| outcome | better when | A | B | B − A | did better |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.label} | {r.better} | {_fmt(r.a_mean)} | {_fmt(r.b_mean)} | "
            f"{_signed(r.diff_mean)} | {r.winner} |"
            for r in rows
        ]
        return lines
    lines = [
        f"A and B: mean over the {runs} seeds ± standard deviation (the figure shows medians). "
        "B − A: mean of the paired differences (replicate k of A and of B share a seed) with "
        f"its 95% Student's t interval ({runs - 1} degrees of freedom). "
        f"B lower, tie, B higher: seeds out of {runs}; a tie is A and B equal to {DECIMALS} "
        "decimals. Better when: the direction the outcome registry counts as better. Did better: "
        "the side on whose better side the whole interval lies, else no clear difference; "
        f"negligible when it lies on one side but B − A rounds to 0 at {DECIMALS} decimals.",
        "",
        "| outcome | better when | A mean ± sd | B mean ± sd | B − A [95% t interval] "
        "| B lower | tie | B higher | did better |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        assert r.a_sd is not None and r.b_sd is not None
        assert r.diff_low is not None and r.diff_high is not None
        lines.append(
            f"| {r.label} | {r.better} | {_fmt(r.a_mean)} ± {_fmt(r.a_sd)} | "
            f"{_fmt(r.b_mean)} ± {_fmt(r.b_sd)} | {_signed(r.diff_mean)} "
            f"[{_signed(r.diff_low)}, {_signed(r.diff_high)}] | {r.b_lower} | {r.ties} | "
            f"{r.b_higher} | {r.winner} |"
        )
    return lines


def markdown(c: Comparison) -> str:
    """The comparison as Markdown (inputs, then outcomes)."""
    runs = len(c.seeds)
    lines = [
        f"# Comparison: {_md(c.a.label)} (A) vs {_md(c.b.label)} (B)",
        "",
        f"A: {_md(c.a.scenario.metadata.title)}  ",
        f"B: {_md(c.b.scenario.metadata.title)}",
        "",
        "## What differs in the inputs",
        "",
    ]
    if c.diff:
        lines += ["| field | A | B |", "|---|---|---|"]
        lines += [
            f"| {_md_path(p)} | {_md(va, cell=True)} | {_md(vb, cell=True)} |"
            for p, va, vb in grouped_diff(c)
        ]
    else:
        lines.append("Nothing: the two resolved scenarios have the same values.")
    seeds = f"seed {c.seeds[0]}" if runs == 1 else f"{runs} replicate seeds, the same for A and B"
    lines += ["", f"## What differs in the outcomes — {seeds}", ""]
    lines += _outcome_lines(c)
    lines += [
        "",
        "Same seeds give both sides the same random numbers, so differences come from the "
        "inputs above, not from luck.",
        "",
    ]
    return "\n".join(lines)


def overlay_figure(c: Comparison) -> Any:
    """Mean tension over turns, A against B (median with 50% and 90% bands for several runs)."""
    from sim.outputs import style

    fig, ax = style.chart()
    for paths, label, colour in (
        (c.paths_a, f"A: {c.a.label}", style.FIRST),
        (c.paths_b, f"B: {c.b.label}", style.SECOND),
    ):
        turns = np.arange(paths.shape[1])
        if paths.shape[0] == 1:
            ax.plot(turns, paths[0], color=colour, lw=style.MEDIAN_WIDTH, label=label)
            continue
        q = list(style.quantiles(paths))  # its rows
        style.bands(ax, turns, q, colour, alpha=style.OVERLAY_BAND_ALPHA, labels=None)
        style.median(ax, turns, q, colour, label=f"{label} (median, 50% and 90% bands)")
    ax.set_ylim(0, 1)
    ax.set_xlim(0, max(c.paths_a.shape[1], c.paths_b.shape[1]) - 1)
    runs = len(c.seeds)
    style.finish(
        ax,
        "turn",
        "mean tension over actors (0–1)",
        f"{c.a.label} vs {c.b.label} — mean tension"
        + (f" over {runs} seeds" if runs > 1 else f", seed {c.seeds[0]}"),
    )
    return fig


def write_compare_folder(
    c: Comparison, folder: Path, *, manifest: dict[str, Any], force: bool = False
) -> str:
    """Write the comparison into ``folder`` atomically; return compare.md's text.

    Args:
        c: The comparison.
        folder: Where the folder should appear.
        manifest: Its manifest (``outputs`` is added on writing; see
            :func:`sim.outputs.manifest.output_manifest`).
        force: Replace an existing folder that this tool wrote.
    """
    import pandas as pd

    from sim.outputs.figures import save_figure

    text = markdown(c)
    with output_folder(folder, force=force) as stage:
        (stage.path / "compare.md").write_text(text, encoding="utf-8")
        write_csv(outcome_frame(outcome_rows(c)), stage.path / "outcomes.csv")
        diff = pd.DataFrame(c.diff, columns=["field", "A", "B"]).astype(str)
        write_csv(diff, stage.path / "input_diff.csv")
        save_figure(overlay_figure(c), stage.path, "compare_tension")
        stage.manifest = manifest
    return text
