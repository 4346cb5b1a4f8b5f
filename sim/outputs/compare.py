"""Write a comparison of two scenarios or run folders (``sim compare A B [--runs N]``).

The comparison is computed by :mod:`sim.running.compare`; this writes it::

    <out>/
      compare.md            what differs in the inputs, then in the outcomes
      outcomes.csv          headline metrics for A, B and B − A
      input_diff.csv        every value that differs between the resolved scenarios
      compare_tension.png/.svg
                            mean tension, A against B (median with 50% and 90%
                            bands over several seeds)
      manifest.json

Labels, titles, field paths and values come from the scenarios (or a run
folder's name): they are escaped as they enter the Markdown
(:func:`sim.text.escape_markdown`), so they show as the text they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from sim.files import output_folder
from sim.outputs.tables import write_csv
from sim.running.compare import Comparison, Side, compare, input_diff, load_side
from sim.text import escape_markdown

__all__ = [
    "Comparison",
    "Side",
    "compare",
    "input_diff",
    "load_side",
    "markdown",
    "overlay_figure",
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
            f"| {_md_path(p)} | {_md(_short(va), cell=True)} | {_md(_short(vb), cell=True)} |"
            for p, va, vb in c.diff
        ]
    else:
        lines.append("Nothing: the two resolved scenarios have the same values.")
    seeds = f"seed {c.seeds[0]}" if runs == 1 else f"{runs} replicate seeds, the same for A and B"
    lines += ["", f"## What differs in the outcomes — {seeds}", ""]
    table = c.outcome_table()
    header = list(table.columns)
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for _, row in table.iterrows():
        cells = [
            f"{v:+.2f}" if k == "B - A" else (f"{v:.2f}" if isinstance(v, float) else str(v))
            for k, v in row.items()
        ]
        lines.append("| " + " | ".join(cells) + " |")
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
        write_csv(c.outcome_table(), stage.path / "outcomes.csv")
        diff = pd.DataFrame(c.diff, columns=["field", "A", "B"]).astype(str)
        write_csv(diff, stage.path / "input_diff.csv")
        save_figure(overlay_figure(c), stage.path, "compare_tension")
        stage.manifest = manifest
    return text
