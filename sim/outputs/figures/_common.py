"""What every figure shares: palettes, sizes and small drawing helpers.

Figures are built with Matplotlib's object API (never :mod:`matplotlib.pyplot`),
so nothing here picks a GUI backend or keeps figures alive in a global figure
manager: safe on a headless server and in a notebook alike.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import BoundaryNorm
    from matplotlib.figure import Figure

    from sim.model.results import RunResult

#: Okabe & Ito's colour-blind-safe palette (2008), in its usual order.
OKABE_ITO: tuple[str, ...] = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: Paul Tol's colour-blind-safe 'muted' scheme, used after Okabe-Ito.
TOL_MUTED: tuple[str, ...] = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED

# Font sizes (points): large enough to read when projected.
TITLE_SIZE = 14
SUBTITLE_SIZE = 11
LABEL_SIZE = 12
TICK_SIZE = 11
SMALL_SIZE = 10

WIDTH = 10.0
HEIGHT = 5.5
MISSING = "0.75"  # grey for cells with no data
DPI = 150

# Metadata that would otherwise stamp the date or the Matplotlib version.
METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "Producer": None},
}

INJECT_LABEL_CHARS = 28

#: Colour of a miscalculation in the timeline (Okabe-Ito vermillion).
MISCALCULATION_COLOUR = "#D55E00"
#: Colour of an ordinary counter-action (not a miscalculation) in the timeline.
LINK_COLOUR = "0.35"
#: Colour of a network edge between actors with no alignment either way.
NEUTRAL_EDGE = "0.7"


def actor_colours(result: RunResult) -> dict[str, str]:
    """Plot colour of each actor, by actor id, in actor order.

    An actor's ``colour`` from the scenario wins; the others take, in actor
    order, the Okabe-Ito palette (8 colours) and then Paul Tol's 'muted' scheme
    (9 more), skipping colours the scenario already gave to an actor, and
    cycling beyond that.

    Args:
        result: A run.

    Returns:
        ``{actor_id: '#rrggbb'}`` for every actor.

    """
    actors = result.scenario.actors
    given = {a: actors[a].colour for a in result.actor_ids if a in actors and actors[a].colour}
    taken = {c.lower() for c in given.values() if c}
    free = [c for c in PALETTE if c.lower() not in taken] or list(PALETTE)
    out: dict[str, str] = {}
    k = 0
    for a in result.actor_ids:
        colour = given.get(a)
        if colour:
            out[a] = colour
        else:
            out[a] = free[k % len(free)]
            k += 1
    return out


def display_names(result: RunResult) -> list[str]:
    """Display names in actor order (the id when the scenario has no entry)."""
    actors = result.scenario.actors
    return [actors[a].name if a in actors else a for a in result.actor_ids]


def figure_title(result: RunResult, what: str, width_in: float, size: float = TITLE_SIZE) -> str:
    """``'<scenario title> — <what>'``, wrapped to fit ``width_in`` inches."""
    text = f"{result.scenario.metadata.title} — {what}"
    chars = max(30, int(width_in * 72 / (size * 0.52)))
    lines = max(1, math.ceil(len(text) / chars))
    # balanced lines rather than a last line holding one word
    width = min(chars, math.ceil(len(text) / lines) + 8)
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def shorten(label: str, limit: int = INJECT_LABEL_CHARS) -> str:
    """``label`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(str(label).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def new_figure(width: float, height: float) -> Figure:
    """Make a figure (no pyplot) with the constrained layout engine."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.set_layout_engine("constrained")
    return fig


def style_ticks(ax: Axes) -> None:
    """Tick label sizes for projection."""
    ax.tick_params(labelsize=TICK_SIZE)


def cell_grid(ax: Axes, rows: int, cols: int | None = None) -> None:
    """Thin white lines between the rows (and columns) of a heat map."""
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    if cols is not None:
        ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
    else:
        ax.grid(which="minor", axis="y", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)


def format_gap(value: float) -> str:
    """Format a gap to 2 decimals with its sign (``+0.12``, ``−0.05``, ``0.00``; NaN: ``–``)."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:+.2f}"
    if text in ("+0.00", "-0.00"):
        return "0.00"
    return text.replace("-", "−")


def rung_labels(result: RunResult, top: int) -> list[str]:
    """``'3 political signalling'`` for each rung 0..top (just the number if unnamed)."""
    ladder = result.scenario.ladder or []
    return [
        f"{k} {ladder[k].label}" if k < len(ladder) and ladder[k].label else str(k)
        for k in range(top + 1)
    ]


def rung_colours(top: int) -> tuple[Any, BoundaryNorm]:
    """The 'viridis' map with one colour per rung 0..top (as in :func:`rung_heatmap`)."""
    import matplotlib
    from matplotlib.colors import BoundaryNorm

    cmap = matplotlib.colormaps["viridis"].resampled(top + 1).with_extremes(bad=MISSING)
    return cmap, BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)


def no_turns(ax: Axes) -> None:
    """Write "no turns played" in the middle of ``ax``."""
    ax.text(
        0.5,
        0.5,
        "no turns played",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=LABEL_SIZE,
    )
