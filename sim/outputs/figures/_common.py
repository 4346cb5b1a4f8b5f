"""What every figure shares: palettes, sizes and small drawing helpers.

Figures are built with Matplotlib's object API (never :mod:`matplotlib.pyplot`),
so nothing here picks a GUI backend or keeps figures alive in a global figure
manager: safe on a headless server and in a notebook alike.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
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

# Font sizes (points at the saved size): large enough to read when projected.
#: The smallest text a figure draws for up to :data:`CROWDED` actors.
PROJECTION_MIN = 14
TITLE_SIZE = 18
SUBTITLE_SIZE = 15
LABEL_SIZE = 16
TICK_SIZE = 15
SMALL_SIZE = 14
#: Text size of actor names when more than :data:`CROWDED` actors share one figure:
#: a print-out size (more names than that do not fit a projected slide at 14 pt).
CROWDED_SIZE = 9
CROWDED = 20

WIDTH = 11.0
HEIGHT = 6.0
MISSING = "0.75"  # grey for cells with no data
DPI = 150

# Metadata that would otherwise stamp the date or the Matplotlib version.
METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "Producer": None},
}

INJECT_LABEL_CHARS = 28
#: Characters per line of a wrapped actor name, and of a wrapped inject label in a key.
NAME_CHARS = 18
KEY_CHARS = 64
#: Lines an inject label may take in the key before it is cut with an ellipsis.
KEY_LINES = 3

#: Dash patterns and markers of actor lines, so that a black-and-white print
#: separates the actors too: 6 dash patterns and 7 markers (coprime), so the
#: first 42 actors each get a different (dash, marker) pair, and with the
#: colours of :data:`PALETTE` a different (colour, dash) pair.
DASHES: tuple[str | tuple[float, tuple[float, ...]], ...] = (
    "-",
    (0, (7.0, 2.5)),
    (0, (1.5, 2.0)),
    (0, (7.0, 2.0, 1.5, 2.0)),
    (0, (12.0, 3.0)),
    (0, (4.0, 1.5, 1.5, 1.5, 1.5, 1.5)),
)
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X")
#: A marker every this many points of a line (at least one per line).
MARKER_EVERY = 4
#: Colour of actors drawn for context only (not in focus).
CONTEXT_COLOUR = "0.72"

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


@dataclass(frozen=True, slots=True)
class ActorStyle:
    """How one actor's lines look in every figure.

    Attributes:
        colour: ``'#rrggbb'`` (the scenario's ``colour:`` wins, see :func:`actor_colours`).
        dash: A Matplotlib line style (``'-'`` or an ``(offset, on-off pattern)`` tuple).
        marker: A Matplotlib marker, drawn every :data:`MARKER_EVERY` points.
    """

    colour: str
    dash: str | tuple[float, tuple[float, ...]]
    marker: str

    def line_kwargs(self, points: int) -> dict[str, Any]:
        """Keyword arguments for ``ax.plot`` of a line of ``points`` points in this style."""
        return {
            "color": self.colour,
            "linestyle": self.dash,
            "marker": self.marker,
            "markevery": marker_every(points),
            "markersize": 7.5,
            "markeredgecolor": "white" if self.marker not in ("X", "P") else self.colour,
            "markeredgewidth": 0.8,
        }


def marker_every(points: int) -> int | tuple[int, int]:
    """Where the markers of a line of ``points`` points go: about every :data:`MARKER_EVERY`."""
    if points <= MARKER_EVERY:
        return 1
    return (0, MARKER_EVERY)


def actor_styles(result: RunResult) -> dict[str, ActorStyle]:
    """The one place deciding each actor's (colour, dash, marker), by actor id, in actor order.

    Colours come from :func:`actor_colours` (an actor's ``colour:`` in the
    scenario wins); the k-th actor takes dash ``DASHES[k % 6]`` and marker
    ``MARKERS[k % 7]``, so neighbours in the legend never share a dash or a
    marker and the first 42 actors differ in (dash, marker) even in black and
    white. Every line figure asks this function.
    """
    colours = actor_colours(result)
    return {
        aid: ActorStyle(colours[aid], DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)])
        for k, aid in enumerate(result.actor_ids)
    }


def wrap_label(text: str, width: int = NAME_CHARS, lines: int | None = None) -> str:
    """``text`` wrapped to lines of at most ``width`` characters (words longer are broken).

    Args:
        text: Any label (an actor's name, an inject's label); whitespace is collapsed.
        width: Characters per line.
        lines: Keep at most this many lines, the last cut with an ellipsis; None: all.
    """
    flat = " ".join(str(text).split())
    wrapped = textwrap.wrap(flat, width, break_on_hyphens=False) or [flat]
    if lines is not None and len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)


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
